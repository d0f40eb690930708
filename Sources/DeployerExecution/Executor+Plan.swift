import DeployerModel
import DeployerPlanning

extension Executor {
    /// Probes every host read-only for a plan, one round trip each: the
    /// facts of `inspect` plus the guard results of every task a push of
    /// `release` would run there. A guard that looks inside the new release
    /// (its path, or a relative `creates`) cannot be known before it exists
    /// and is reported unknown. Reports no events: a probe is not a run.
    public func probeForPlan(release: ReleaseID, revision: String) async throws(TaskRenderer.UndefinedName)
        -> [String: HostProbe] {
        let renderer = TaskRenderer(environment: environment, release: release, revision: revision)
        let work = try HostWork.render(renderer, artifact: nil)
        let releasePath = RemoteLayout(deployTo: environment.deployTo).release(release)
        var probing = self
        probing.reporter = SilentReporter()
        let quiet = probing
        let connections = HostConnections(connector: connector, reporter: quiet.reporter)
        let results = await quiet.eachHost(environment.hosts) { host -> HostProbe in
            let hostWork = work[host.name]!
            var probed: [(phase: Phase, task: ScriptTask)] = []
            var unknown: [String: GuardResult] = [:]
            for (phase, tasks) in [(Phase.prepare, hostWork.prepare), (.beforeSwitch, hostWork.beforeSwitch),
                                   (.afterSwitch, hostWork.afterSwitch)] {
                for task in tasks where task.creates != nil || task.unless != nil || task.onlyIf != nil {
                    let texts = [task.creates, task.unless, task.onlyIf].compactMap { $0 }
                    if texts.contains(where: { $0.contains(releasePath) }) {
                        unknown[GuardResult.key(phase: phase, task: task.name)] = .unknown("its guard looks inside the new release")
                    } else if let creates = task.creates, !Executor.isAbsolute(creates) {
                        unknown[GuardResult.key(phase: phase, task: task.name)] =
                            .unknown("creates: \(creates) is relative to the new release")
                    } else {
                        probed.append((phase, task))
                    }
                }
            }
            let script = HostScripts.planProbe(deployTo: environment.deployTo, tasks: probed)
            switch await quiet.run(script, on: host, step: .probe, connections: connections) {
            case let .success(run):
                var guards = unknown
                for (phase, task) in probed { guards[GuardResult.key(phase: phase, task: task.name)] = .clear }
                for case let .taskSkipped(phase, task, reason) in run.markers {
                    guards[GuardResult.key(phase: phase, task: task)] = .skip(reason)
                }
                return .reached(HostFacts(markers: run.markers), guards: guards)
            case let .failure(failure):
                return .unreachable(failure.message)
            }
        }
        await connections.closeAll()
        return results
    }

    /// Why a push of this environment would be refused before contacting any
    /// host (e.g. tasks with `local: true`), so a plan can refuse the same way.
    public var pushRefusal: String? { Executor.controllerTaskRefusal(environment) }

    /// Whether a rendered path (possibly shell-quoted) is absolute.
    static func isAbsolute(_ renderedPath: String) -> Bool {
        renderedPath.hasPrefix("/") || renderedPath.hasPrefix("'/") || renderedPath.hasPrefix("\"/")
    }
}
