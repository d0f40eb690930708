import DeployerModel
import DeployerPlanning

extension Executor {
    /// Runs each host's rollout script (drain, switch, tasks, health, undrain) on `hosts` in parallel.
    ///
    /// Once begun, a batch is completed on every one of its hosts even when a
    /// stop is requested, so an interruption never leaves a batch half done.
    func switchHosts(_ hosts: [FleetHost], kind: SwitchKind, step: DeployStep,
                     script: @escaping @Sendable (String) -> RolloutScript,
                     connections: HostConnections, hooks: HookRunner) async -> [String: SwitchOutcome] {
        await eachHost(hosts, running: { script($0.name).tasks.flatMap(\.tasks) }) { host in
            await switchHost(host, kind: kind, step: step, script: script(host.name), connections: connections, hooks: hooks)
        }
    }

    /// One host's part of its batch, reported as one step: a drain hook that
    /// runs elsewhere, then the host's script (one round trip, with the hooks
    /// that run on the host), then an undrain hook that runs elsewhere. The
    /// first failure stops the host, so a sick host is never undrained.
    private func switchHost(_ host: FleetHost, kind: SwitchKind, step: DeployStep, script input: RolloutScript,
                            connections: HostConnections, hooks: HookRunner) async -> SwitchOutcome {
        var switched = false, drained = false
        let result = await reporting(step, on: host) { () async -> Result<Void, HostFailure> in
            if let drain = input.elsewhere(.drain) {
                if let failure = await hooks.run(.drain, drain, for: host, step: step) { return .failure(failure) }
                drained = true
            }
            var text = HostScripts.rollout(deployTo: environment.deployTo, input)
            text.switchKind = kind
            let run = await outcome(of: text, on: host, step: step, connections: connections, deadline: .rollout(input))
            let markers: [ScriptMarker]
            switch run {
            case let .success(run): markers = run.markers
            case let .failure(failure): markers = failure.markers
            }
            switched = markers.contains {
                switch $0 {
                case .switched, .unswitched: true
                default: false
                }
            }
            if markers.contains(.hookFinished(.drain, exitStatus: 0)) { drained = true }
            if markers.contains(.hookFinished(.undrain, exitStatus: 0)) { drained = false }
            // A broken connection leaves the outcome unknown; a later status shows where it landed.
            if case let .failure(failure) = run { return .failure(failure) }
            if let undrain = input.elsewhere(.undrain) {
                if let failure = await hooks.run(.undrain, undrain, for: host, step: step) { return .failure(failure) }
                drained = false
            }
            return .success(())
        }
        if case let .failure(failure) = result { return SwitchOutcome(switched: switched, failure: failure, drained: drained) }
        return SwitchOutcome(switched: switched, failure: nil, drained: drained)
    }
}
