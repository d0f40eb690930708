import DeployerModel
import DeployerPlanning

extension HostScripts {
    /// The guards of `task` as shell tests in the order they are checked
    /// (the answer of its `check`, `creates`, `unless`, `only_if`), each true when the task is to be
    /// skipped, with the reason then reported: calls of `Scripts/tasks.sh`, but for `creates`, whose
    /// rendered text the recipe wrote as shell (a path, or a pattern) and is tested as written, in
    /// the task's directory and env (`enter_task`).
    static func guardTests(_ task: ScriptTask) -> [(test: String, reason: String)] {
        let environment = environmentArguments(task)
        var tests: [(test: String, reason: String)] = checkTest(task).map { [$0] } ?? []
        if let creates = task.creates {
            tests.append(("( enter_task\(environment) && test -e \(creates) ) 2>/dev/null", "creates: \(creates) exists"))
        }
        if let unless = task.unless {
            tests.append((ShellQuote.join(["task_succeeds", unless]) + environment, "unless: command succeeded"))
        }
        if let onlyIf = task.onlyIf {
            tests.append(("! " + ShellQuote.join(["task_succeeds", onlyIf]) + environment, "only_if: command failed"))
        }
        return tests
    }

    /// `if TEST; then report task-skip PHASE NAME REASON` and an `elif` per further
    /// guard, for the caller to close (`else … fi` or `fi`); empty without guards.
    static func guardLines(_ task: ScriptTask, phase: Phase) -> [String] {
        guardTests(task).enumerated().map { index, guardTest in
            "\(index == 0 ? "if" : "elif") \(guardTest.test); then report task-skip \(phase.rawValue) "
                + "\(ShellQuote.quote(task.name)) " + ShellQuote.quote(guardTest.reason)
        }
    }

    /// Read-only, one round trip: the probe, then the guards of `tasks`
    /// evaluated from `deploy_to` (or `/` when it does not exist yet), reporting
    /// `task-skip` for each task a guard of which holds. `tasks` holds only
    /// guards a plan may run (`Executor.unanswerable`): inert `creates` paths,
    /// and commands the recipe marked read-only when the user ran `plan --run-guards`; with it too,
    /// `checks` run in the current release (`appendCurrentReleaseChecks`). `tasks` come without their
    /// `check` (its answer is the new release's, which does not exist yet).
    public static func planProbe(deployTo: String, tasks: [(phase: Phase, task: ScriptTask)],
                                 checks: [Phase: [ScriptTask]] = [:]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendProbe(to: &script)
        let guarded = tasks.compactMap { phase, task -> [String]? in
            let lines = guardLines(task, phase: phase)
            return lines.isEmpty ? nil : lines + ["fi"]
        }
        if !guarded.isEmpty {
            appendTaskFunctions(to: &script)
            script.append("guards_from_deploy_to")
            for lines in guarded { script.append(contentsOf: lines) }
        }
        appendCurrentReleaseChecks(checks, to: &script)
        script.append("true")
        return script
    }
}
