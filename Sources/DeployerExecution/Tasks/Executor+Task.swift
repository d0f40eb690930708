import DeployerModel
import DeployerPlanning

extension Executor {
    /// Runs `task`, a task of the recipe, on demand (`deployer task ENV NAME`) on every host of the
    /// environment (which the caller narrowed to the task's hosts, see `ResolvedEnvironment.onDemandTask`),
    /// in the release `current` points at there, as a push would run it: its templates filled for that
    /// release, its env and secrets, its guards, its `timeout` and `max_parallel`, the recipe's shell.
    ///
    /// Under the lock of those hosts (`--lock-wait`, `--break-stale-lock` as for a push); its log comes back
    /// as `command_output` lines when it ends; each host records it in its history (`task`, with the task's
    /// name and result). A host without a current release fails, saying how to give it one.
    public func runTask(_ task: ResolvedTask, origin: RunOrigin) async -> RunSummary {
        await reportedRun(.task, runID: origin.runID) { connections in
            await taskSteps(task, origin: origin, connections: connections)
        }
    }

    private func taskSteps(_ task: ResolvedTask, origin: RunOrigin, connections: HostConnections) async -> RunSummary {
        let facts: [String: HostFacts]
        do throws(RunEnded) {
            facts = try await connectAndLock(.task, origin: origin, connections: connections, untouched: "nothing was run on any host")
        } catch {
            return error.summary
        }
        let heartbeat = startHeartbeat(runID: origin.runID, connections: connections)
        defer { heartbeat.cancel() }
        for (host, hostFacts) in facts { reporter.report(.probed(host: host, current: hostFacts.current)) }

        let rendered: [String: (release: ReleaseID, task: ScriptTask)]
        do {
            rendered = try renderedOnDemand(task, facts: facts)
        } catch {
            await releaseLocks(hostNames, runID: origin.runID, connections: connections)
            return summary(.task, .usage, nil, "\(error)\nnothing was run on any host", facts: facts)
        }
        if let stop = control.stopReason {
            await releaseLocks(hostNames, runID: origin.runID, connections: connections)
            return summary(.task, .interrupted, nil, "stopped by \(stop) before the task ran; nothing was run", facts: facts)
        }

        let deadline = StepDeadline.commands([task.timeoutSeconds])
        let results = await eachHost(environment.hosts, running: { host in rendered[host.name].map { [$0.task] } ?? [] }) {
            host -> HostFailure? in
            let ran = await reporting(.command, on: host) { () async -> Result<ScriptRun, HostFailure> in
                guard let (release, scriptTask) = rendered[host.name] else {
                    return .failure(HostFailure(host: host.name, step: .command, message: "no release is current on "
                        + "\(host.name) (never deployed, or its first push failed): nothing to run task '\(task.name)' "
                        + "in; deploy one first: deployer push \(environment.name) --hosts \(host.name)"))
                }
                let script = HostScripts.onDemandTask(deployTo: environment.deployTo, release: release, phase: task.phase,
                                                      task: scriptTask)
                return await outcome(of: script, on: host, step: .command, connections: connections, deadline: deadline)
            }
            if case let .failure(failure) = ran { return failure }
            return nil
        }
        let failures = hostNames.compactMap { results[$0] ?? nil }
        let ran = hostNames.filter { results[$0] == .some(nil) }
        let finished = await releaseLocks(on: environment.hosts, step: .finish, connections: connections) { host in
            guard let (release, _) = rendered[host.name] else {
                return HostScripts.unlock(deployTo: environment.deployTo, runID: origin.runID)
            }
            let failure = failures.first { $0.host == host.name }
            let record = HistoryRecord(action: .task, result: failure == nil ? .succeeded : .failed, release: release,
                                       revision: facts[host.name]?.release(release)?.marker?.revision,
                                       origin: origin, at: Executor.isoNow(),
                                       detail: "task \(task.name)" + (failure.map { ": " + ($0.description.split(separator: "\n").first ?? "") } ?? ""))
            return HostScripts.finish(deployTo: environment.deployTo, HostScripts.FinishInput(
                markFailed: nil, historyLine: Executor.jsonLine(record), prune: [], pruneCaches: false, runID: origin.runID))
        }
        var message = "task \(task.name) ran on " + (ran.isEmpty ? "no host" : ran.joined(separator: ", "))
        if !failures.isEmpty { message = Executor.describe(failures) + "\n" + message }
        let result: RunSummary.Result = failures.isEmpty ? .succeeded
            : failures.allSatisfy(\.unreachable) ? .unreachable : .failed
        return summary(.task, result, nil, message + finished.note, facts: facts, locksReleased: finished.released)
    }

    /// `task` rendered for each host that has a current release, for that release (what `{{ release }}`,
    /// `{{ release_id }}` and `{{ revision }}` name there: a fleet may run several).
    private func renderedOnDemand(_ task: ResolvedTask, facts: [String: HostFacts])
        throws(TaskRenderer.UndefinedName) -> [String: (release: ReleaseID, task: ScriptTask)] {
        var rendered: [String: (release: ReleaseID, task: ScriptTask)] = [:]
        for host in environment.hosts {
            guard let current = facts[host.name]?.current else { continue }
            let revision = facts[host.name]?.release(current)?.marker?.revision ?? ""
            let renderer = TaskRenderer(environment: environment, release: current, revision: revision)
            rendered[host.name] = (current, try renderer.render(task, for: host))
        }
        return rendered
    }
}
