import DeployerModel
import DeployerPlanning

extension Executor {
    /// Switches every host to `request.release`, prepared before by `push --prepare-only` (perhaps by
    /// several runs, one per shard of the fleet): under the lock, checks that every host has it intact,
    /// then runs what a push runs after its prepare (before_switch, the rolling switch with health checks,
    /// after_fleet, finish). Refuses, switching nothing, where a host lacks it, has it half-made or marked
    /// failed, or holds another artifact under its id.
    public func switchRelease(_ request: SwitchRequest) async -> RunSummary {
        await reportedRun(.switchRelease, runID: request.origin.runID) { connections in
            // The steps after the check are a push's, which say so in their summary.
            var summary = await switchReleaseSteps(request, connections: connections)
            summary.action = .switchRelease
            return summary
        }
    }

    private func switchReleaseSteps(_ request: SwitchRequest, connections: HostConnections) async -> RunSummary {
        let release = request.release
        let facts: [String: HostFacts]
        do throws(RunEnded) {
            facts = try await connectAndLock(.switchRelease, origin: request.origin, connections: connections)
        } catch {
            return error.summary
        }
        for (host, hostFacts) in facts { reporter.report(.probed(host: host, current: hostFacts.current)) }
        let problems = Executor.unswitchable(release, facts: facts, hosts: hostNames)
        guard problems.isEmpty, let marker = facts[hostNames[0]]?.release(release)?.marker else {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.switchRelease, .failed, nil, "release \(release) is not prepared intact on every host:\n"
                + problems.map { "  " + $0 }.joined(separator: "\n")
                + "\nnothing was changed on any host; prepare it there with `deployer push \(environment.name) --prepare-only "
                + "--release \(release) --hosts …` (same revision), then switch again", facts: facts)
        }
        if hostNames.allSatisfy({ facts[$0]?.current == release }) {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            reporter.report(.alreadyCurrent(release: release))
            return summary(.switchRelease, .alreadyCurrent, release, "already at \(release) on every host; nothing changed",
                           facts: facts)
        }
        let heartbeat = startHeartbeat(runID: request.origin.runID, connections: connections)
        defer { heartbeat.cancel() }
        let artifact = Artifact(path: "", digest: marker.digest, bytes: marker.bytes ?? 0, revision: marker.revision, envKeys: [:],
                                revisionTime: marker.revisionTime)
        let work: [String: HostWork]
        do {
            work = try HostWork.render(TaskRenderer(environment: environment, release: release, revision: marker.revision),
                                       artifact: nil)
        } catch {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.switchRelease, .usage, nil, "\(error)\nnothing was changed on any host", facts: facts)
        }
        let watch = IrreversibleWatch(release: release, tasks: Set(environment.tasks.filter(\.irreversible).map(\.name)),
                                      reporter: reporter)
        var attempt = PushAttempt(release: release, artifact: artifact, origin: request.origin, facts: facts, plan: [:],
                                  work: work, marker: marker, irreversible: watch)
        attempt.historyAction = .switchRelease
        var watched = self
        watched.reporter = watch
        let beforeSwitch = await watched.beforeSwitchAll(attempt, connections: connections)
        if let abandoned = await watched.abandonIfNeeded(attempt, failures: beforeSwitch, phase: "before_switch",
                                                         connections: connections) {
            return abandoned
        }
        return await watched.switchAndFinish(attempt, connections: connections)
    }

    /// Why each of `hosts` cannot be switched to `release`: it lacks it (never prepared, or pruned), has
    /// it half-made or marked failed, or holds another artifact under that id than most hosts do.
    static func unswitchable(_ release: ReleaseID, facts: [String: HostFacts], hosts: [String]) -> [String] {
        var problems: [String] = []
        var digests: [String: String] = [:]
        for host in hosts {
            guard let found = facts[host]?.release(release) else {
                problems.append("\(host): \(release) is not there (never prepared, or pruned since)")
                continue
            }
            switch found.state {
            case .failed: problems.append("\(host): \(release) is marked failed")
            case .incomplete:
                problems.append("\(host): \(release) is half-made or altered (no valid release marker: its prepare did not finish, "
                    + "or the marker was changed since)")
            case .good: digests[host] = found.marker?.digest
            }
        }
        let counts = Dictionary(grouping: digests.values, by: { $0 }).mapValues(\.count)
        if let usual = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key, counts.count > 1 {
            for host in hosts {
                if let digest = digests[host], digest != usual {
                    problems.append("\(host): \(release) holds another artifact (\(digest.prefix(12)), "
                        + "the other hosts \(usual.prefix(12))): altered since it was prepared, or prepared from another revision")
                }
            }
        }
        return problems
    }
}
