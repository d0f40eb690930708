import DeployerModel
import DeployerPlanning

extension Executor {
    /// Switches every host to `release` and runs the tasks `tasks(host)` gives, in parallel.
    ///
    /// Once begun, the switch is completed on every host even when a stop is
    /// requested, so the fleet is never left split by an interruption.
    func switchAll(to release: ReleaseID, kind: SwitchKind, runID: String,
                   tasks: @escaping @Sendable (String) -> [(phase: Phase, tasks: [ScriptTask])],
                   connections: HostConnections) async -> [String: SwitchOutcome] {
        await switchHosts(environment.hosts, to: release, kind: kind, step: .switch, runID: runID, tasks: tasks,
                          connections: connections)
    }

    func switchHosts(_ hosts: [DeployerModel.Host], to release: ReleaseID, kind: SwitchKind, step: DeployStep,
                     runID: String, tasks: @escaping @Sendable (String) -> [(phase: Phase, tasks: [ScriptTask])],
                     connections: HostConnections) async -> [String: SwitchOutcome] {
        await eachHost(hosts) { host in
            let script = HostScripts.switch(deployTo: environment.deployTo, release: release, runID: runID,
                                            tasks: tasks(host.name))
            let result = await run(script, on: host, step: step, connections: connections)
            let markers: [ScriptMarker]
            switch result {
            case let .success(run): markers = run.markers
            case .failure: markers = []
            }
            var switched = false
            for case let .switched(from, to) in markers {
                switched = true
                reporter.report(.switched(host: host.name, from: from, to: to, kind: kind))
            }
            if case let .failure(failure) = result {
                // A broken connection leaves the outcome unknown; a later status shows where it landed.
                return SwitchOutcome(switched: switched, failure: failure)
            }
            return SwitchOutcome(switched: switched, failure: nil)
        }
    }
}
