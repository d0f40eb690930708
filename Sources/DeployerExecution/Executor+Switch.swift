import DeployerModel
import DeployerPlanning

extension Executor {
    /// Runs each host's rollout script (drain, switch, tasks, health, undrain) on `hosts` in parallel.
    ///
    /// Once begun, a batch is completed on every one of its hosts even when a
    /// stop is requested, so an interruption never leaves a batch half done.
    func switchHosts(_ hosts: [DeployerModel.Host], kind: SwitchKind, step: DeployStep,
                     script: @escaping @Sendable (String) -> RolloutScript,
                     connections: HostConnections) async -> [String: SwitchOutcome] {
        await eachHost(hosts) { host in
            var text = HostScripts.rollout(deployTo: environment.deployTo, script(host.name))
            text.switchKind = kind
            let result = await run(text, on: host, step: step, connections: connections)
            let markers: [ScriptMarker]
            switch result {
            case let .success(run): markers = run.markers
            case let .failure(failure): markers = failure.markers
            }
            let switched = markers.contains { if case .switched = $0 { true } else { false } }
            let drained = markers.contains(.hookFinished(.drain, exitStatus: 0))
                && !markers.contains(.hookFinished(.undrain, exitStatus: 0))
            if case let .failure(failure) = result {
                // A broken connection leaves the outcome unknown; a later status shows where it landed.
                return SwitchOutcome(switched: switched, failure: failure, drained: drained)
            }
            return SwitchOutcome(switched: switched, failure: nil, drained: drained)
        }
    }
}
