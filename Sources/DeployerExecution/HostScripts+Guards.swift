import DeployerModel
import DeployerPlanning

extension HostScripts {
    /// The start of every command a task runs, its guards included: into `$release_dir`, then the task's `env`.
    static func taskPrefix(_ task: ScriptTask) -> String {
        (["cd \"$release_dir\""] + task.environment.map { "\($0.key)=\($0.value) && export \($0.key)" })
            .joined(separator: " && ")
    }

    /// The guards of `task` as shell tests in the order they are checked
    /// (the answer of its `check`, `creates`, `unless`, `only_if`), each true when the task is to be
    /// skipped, with the reason then reported.
    static func guardTests(_ task: ScriptTask) -> [(test: String, reason: String)] {
        let prefix = taskPrefix(task)
        var tests: [(test: String, reason: String)] = checkTest(task).map { [$0] } ?? []
        if let creates = task.creates {
            tests.append(("( \(prefix) && test -e \(creates) ) 2>/dev/null", "creates: \(creates) exists"))
        }
        if let unless = task.unless {
            tests.append(("( \(prefix) && exec \(ShellScript.commandShell) \(ShellQuote.quote(unless)) ) </dev/null >/dev/null 2>&1",
                          "unless: command succeeded"))
        }
        if let onlyIf = task.onlyIf {
            tests.append(("! ( \(prefix) && exec \(ShellScript.commandShell) \(ShellQuote.quote(onlyIf)) ) </dev/null >/dev/null 2>&1",
                          "only_if: command failed"))
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
    /// `checks` run in the current release (`appendCurrentReleaseChecks`).
    public static func planProbe(deployTo: String, tasks: [(phase: Phase, task: ScriptTask)],
                                 checks: [Phase: [ScriptTask]] = [:]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendProbe(to: &script)
        script.append("release_dir=\"$deploy_to\"; [ -d \"$release_dir\" ] || release_dir=/")
        for (phase, task) in tasks {
            let lines = guardLines(task, phase: phase)
            guard !lines.isEmpty else { continue }
            script.append(contentsOf: lines)
            script.append("fi")
        }
        appendCurrentReleaseChecks(checks, to: &script)
        script.append("true")
        return script
    }
}
