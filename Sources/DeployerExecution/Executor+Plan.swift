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
                        // The check's answer is the new release's, which does not exist yet (see `checkTest`).
                        var guarded = task
                        guarded.check = nil
                        probed.append((phase, guarded))
                    }
                }
            }
            // With --run-guards, a check is asked only where its task's guards may be run too (it is asked
            // only where they would not skip the task); the others are decided at push with their guards.
            let checks = hostWork.checks.mapValues { tasks in
                tasks.filter { Executor.unanswerable($0, releasePath: releasePath, runGuards: runGuards) == nil }
            }
            if !runGuards {
                for (phase, tasks) in checks {
                    for task in tasks { unknown[GuardResult.checkKey(phase: phase, task: task.name)] = .unknown(Planner.checkDecidedAtPush) }
                }
            }
            let script = HostScripts.planProbe(deployTo: environment.deployTo, tasks: probed, checks: runGuards ? checks : [:])
            switch await quiet.run(script, on: host, step: .probe, connections: connections) {
            case let .success(run):
                var guards = unknown
                for (phase, task) in probed { guards[GuardResult.key(phase: phase, task: task.name)] = .clear }
                for case let .taskSkipped(phase, task, reason) in run.markers {
                    guards[GuardResult.key(phase: phase, task: task)] = .skip(reason)
                }
                let facts = HostFacts(markers: run.markers)
                if runGuards {
                    for (phase, tasks) in checks {
                        for task in tasks {
                            guards[GuardResult.checkKey(phase: phase, task: task.name)] = .unknown(
                                Executor.currentReleaseAnswer(run.markers, phase: phase, task: task.name, current: facts.current))
                        }
                    }
                }
                return .reached(facts, guards: guards)
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

    /// What a plan's probe learnt from a task's check run in the current release (`plan --run-guards`).
    static func currentReleaseAnswer(_ markers: [ScriptMarker], phase: Phase, task: String, current: ReleaseID?) -> String {
        guard let current else { return "decided at push: no current release to ask its check" }
        let status = markers.lazy.compactMap { marker -> Int? in
            if case let .checked(markedPhase, markedTask, status) = marker, markedPhase == phase, markedTask == task { status } else { nil }
        }.first
        let answer = switch status {
        case 0?: "nothing pending there"
        case 1?: "work pending"
        case let other?: "it failed with exit status \(other)"
        case nil: "no answer"
        }
        return "decided at push: check in the current release \(current): \(answer); the new release is asked at push"
    }

    /// Whether a rendered path (possibly shell-quoted) is absolute.
    static func isAbsolute(_ renderedPath: String) -> Bool {
        renderedPath.hasPrefix("/") || renderedPath.hasPrefix("'/") || renderedPath.hasPrefix("\"/")
    }
}
