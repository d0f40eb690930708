import DeployerModel
import DeployerPlanning

extension Executor {
    /// Probes every host read-only (no lock): releases, current, lock.
    public func inspect() async -> FleetInspection {
        await inspect(askingHostProbesOf: { _ in nil }).inspection
    }

    /// `inspect()`, then every host's answer to each `host_probe` of the build steps `probing` picks from
    /// the inspection (by step name then host name; nil when it picks none), asked over the inspection's
    /// own connections before they close: one SSH login per host, not one to read what the hosts run and
    /// another to ask them. How `promote` learns what the source environment's artifact was built for; a
    /// failure (the steps' recipe error, a probe that fails, a host out of reach) is returned, not thrown,
    /// for the caller to raise where the answers are needed. Changes no host.
    public func inspect(askingHostProbesOf probing: (FleetInspection) throws(BuildFailure) -> BuildSteps?) async
        -> (inspection: FleetInspection, hostProbeAnswers: Result<[String: [String: String]], BuildFailure>?) {
        let connections = HostConnections(connector: connector, reporter: reporter)
        let probed = await probeAll(environment.hosts, connections: connections)
        let inspection = FleetInspection(hosts: hostNames, facts: probed.compactMapValues { try? $0.get() },
                                         unreachable: probed.compactMapValues {
                                             if case let .failure(failure) = $0 { failure.message } else { nil }
                                         }, lockTTLSeconds: options.lockTTLSeconds)
        var answers: Result<[String: [String: String]], BuildFailure>?
        do throws(BuildFailure) {
            if let steps = try probing(inspection), !steps.probing.isEmpty {
                answers = .success(try await hostProbeAnswersByHost(for: steps, connections: connections))
            }
        } catch {
            answers = .failure(error)
        }
        await connections.closeAll()
        return (inspection, answers)
    }

    /// What the environment's hosts outside the `--hosts`/`--roles` limit run, probed read-only, for a
    /// push or plan to see which release the rest of the fleet runs (`PushDecision.join`). A host that
    /// cannot be probed (unreachable, …) is left out: a limited run does not touch it. Reports nothing.
    public func probeOutsideLimit() async -> [HostFacts] {
        guard let outside = limit?.outside, !outside.isEmpty else { return [] }
        var quiet = self
        quiet.reporter = SilentReporter()
        let silent = quiet
        let connections = HostConnections(connector: connector, reporter: silent.reporter)
        let script = HostScripts.probe(deployTo: environment.deployTo)
        let results = await silent.eachHost(outside) { host in
            try? await silent.outcome(of: script, on: host, step: .probe, connections: connections).get()
        }
        await connections.closeAll()
        return outside.compactMap { results[$0.name] ?? nil }.map { HostFacts(markers: $0.markers) }
    }

    /// `inspect()` as a whole run of `action` (status, releases): `run_started`, the probes, and a
    /// `summary` (unreachable when a host could not be read).
    public func inspected(_ action: RunAction, runID: String) async -> (inspection: FleetInspection, result: RunSummary.Result) {
        var inspection = FleetInspection(hosts: hostNames, facts: [:], unreachable: [:], lockTTLSeconds: options.lockTTLSeconds)
        let summary = await reportedRun(action, runID: runID) { connections in
            let probed = await probeAll(environment.hosts, connections: connections)
            inspection.facts = probed.compactMapValues { try? $0.get() }
            inspection.unreachable = probed.compactMapValues { if case let .failure(failure) = $0 { failure.message } else { nil } }
            let unreachable = hostNames.filter { inspection.unreachable[$0] != nil }
            return self.summary(action, unreachable.isEmpty ? .succeeded : .unreachable, nil,
                                unreachable.isEmpty ? "read \(hostNames.count) host" + (hostNames.count == 1 ? "" : "s")
                                    : "unreachable: " + unreachable.joined(separator: ", "),
                                facts: inspection.facts)
        }
        return (inspection, summary.result)
    }

    /// Removes the lock on every host whatever run holds it (`deployer unlock`), recording who did.
    public func forceUnlock(origin: RunOrigin) async -> RunSummary {
        await reportedRun(.unlock, runID: origin.runID) { connections in
            let record = HistoryRecord(action: .unlock, result: .succeeded, origin: origin, at: Executor.isoNow(),
                                       detail: "lock removed with deployer unlock")
            let script = HostScripts.forceUnlock(deployTo: environment.deployTo, historyLine: Executor.jsonLine(record))
            let results = await eachHost(environment.hosts) { host -> HostFailure? in
                switch await run(script, on: host, step: .unlock, connections: connections) {
                case let .success(run):
                    if run.markers.contains(.lock(.released)) { reporter.report(.lockReleased(host: host.name)) }
                    return nil
                case let .failure(failure): return failure
                }
            }
            let failures = hostNames.compactMap { results[$0] ?? nil }
            return summary(.unlock, failures.isEmpty ? .succeeded : .unreachable, nil,
                           failures.isEmpty ? "no host is locked" : Executor.describe(failures), facts: [:],
                           locksReleased: Set(hostNames.filter { results[$0] == .some(nil) }))
        }
    }
}
