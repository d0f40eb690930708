import DeployerModel
import DeployerPlanning

extension Executor {
    /// Probes every host read-only for a plan, one round trip each: the
    /// facts of `inspect` plus the guard results of every task a push of
    /// `release` would run there that the plan may answer (see
    /// `unanswerable(_:releasePath:runGuards:)`); the others are reported
    /// unknown, decided at push. Reports no events: a probe is not a run.
    public func probeForPlan(release: ReleaseID, revision: String, runGuards: Bool) async throws(TaskRenderer.UndefinedName)
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
                    if let reason = Executor.unanswerable(task, releasePath: releasePath, runGuards: runGuards) {
                        unknown[GuardResult.key(phase: phase, task: task.name)] = .unknown(reason)
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

    /// Why a plan does not answer `task`'s guards, or nil when it may run them.
    /// A plan runs no command a recipe wrote: `unless` and `only_if` only when
    /// the task promises they are read-only (`read_only_guards: true`) and the
    /// user asked (`plan --run-guards`), and `creates` only when it is an
    /// absolute path that is one inert word (nothing in it expands or runs).
    /// Guards that look inside the new release cannot be answered before it exists.
    static func unanswerable(_ task: ScriptTask, releasePath: String, runGuards: Bool) -> String? {
        let texts = [task.creates, task.unless, task.onlyIf].compactMap { $0 }
        if texts.contains(where: { $0.contains(releasePath) }) { return "its guard looks inside the new release" }
        if let creates = task.creates, !isAbsolute(creates) { return "creates: \(creates) is relative to the new release" }
        let commands = task.unless != nil || task.onlyIf != nil
        if runGuards && task.readOnlyGuards { return nil }
        if commands && task.readOnlyGuards { return "decided at push: plan --run-guards runs its read-only guards" }
        if commands { return "decided at push: plan runs no unless/only_if command not marked read_only_guards" }
        if let creates = task.creates, !ShellQuote.isInertWord(creates) {
            return "decided at push: creates: \(creates) is shell text, not a plain path"
        }
        return nil
    }

    /// Whether a rendered path (possibly shell-quoted) is absolute.
    static func isAbsolute(_ renderedPath: String) -> Bool {
        renderedPath.hasPrefix("/") || renderedPath.hasPrefix("'/") || renderedPath.hasPrefix("\"/")
    }
}
