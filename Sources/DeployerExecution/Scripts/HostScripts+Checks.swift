import DeployerModel

/// `check:` on the host: each checked task's check runs at the end of prepare, in the new release,
/// and leaves its answer there for the script that runs the task (`checkTest`).
extension HostScripts {
    /// Lines of a pending check's output reported, each cut to `checkOutputColumns` characters:
    /// enough for a list of migrations, bounded whatever the command prints (the whole output stays
    /// in the release's log, `.deployer-logs/NAME.check.log`).
    static let checkOutputLines = 40
    static let checkOutputColumns = 300

    /// What a failed check reports (its `fail` marker, and the key its command is recorded under):
    /// the text `run_check` in `Scripts/tasks.sh` fails with.
    static func checkFailure(_ task: String) -> String {
        "the check of task '\(task)' (exit 0: nothing pending, 1: work pending; any other status is a failure)"
    }

    /// The shell test, true when `task`'s check found nothing pending, and the reason its skip reports.
    static func checkTest(_ task: ScriptTask) -> (test: String, reason: String)? {
        guard task.check != nil else { return nil }
        return (ShellQuote.join(["nothing_pending", task.name]), "check: nothing pending")
    }

    /// Runs the check of each task of `tasks` that has one, unless the task's guards skip it, in `$release_dir`
    /// with the task's `env` (`run_check` in `Scripts/tasks.sh`: its output masked into
    /// `$logs_dir/NAME.check.log`; exit 0 leaves the answer `nothing_pending` reads, 1 reports the output's
    /// first lines (`check-output`), and both report `check PHASE NAME STATUS`; any other status fails the script).
    static func appendChecks(_ tasks: [Phase: [ScriptTask]], to script: inout ShellScript) {
        let checks = checkedTasks(tasks)
        guard !checks.isEmpty else { return }
        appendTaskFunctions(to: &script)
        for (phase, task, check) in checks {
            script.record(task: checkFailure(task.name), command: check)
            script.append(ShellQuote.join(["forget_check", task.name]))
            script.append(contentsOf: unlessGuarded(task, taskCall("run_check", phase: phase, task, command: check)))
        }
    }

    /// The tasks of `tasks` that have a check, by phase, with it.
    private static func checkedTasks(_ tasks: [Phase: [ScriptTask]]) -> [(phase: Phase, task: ScriptTask, check: String)] {
        tasks.sorted(by: { $0.key < $1.key }).flatMap { phase, tasks in tasks.map { (phase, $0) } }
            .compactMap { phase, task in task.check.map { (phase, task, $0) } }
    }

    /// `line`, run only when none of `task`'s guards (`creates`, `unless`, `only_if`) holds: a check
    /// is not asked where its task would be skipped anyway, since it may touch what the task would
    /// (Django's opens the database, and SQLite creates the file).
    static func unlessGuarded(_ task: ScriptTask, _ line: String) -> [String] {
        var unchecked = task
        unchecked.check = nil
        let guards = guardTests(unchecked).enumerated().map { index, guardTest in
            "\(index == 0 ? "if" : "elif") \(guardTest.test); then :"
        }
        return guards.isEmpty ? [line] : guards + ["else", "  " + line, "fi"]
    }

    /// For `deployer plan --run-guards`: runs each check of `tasks` (whose guards the plan may run:
    /// `Executor.unanswerable`) in the release `current` points at, when there is one and the task's
    /// guards do not skip it, reporting only `check PHASE NAME STATUS` (`ask_check` in `Scripts/tasks.sh`).
    static func appendCurrentReleaseChecks(_ tasks: [Phase: [ScriptTask]], to script: inout ShellScript) {
        let checks = checkedTasks(tasks)
        guard !checks.isEmpty else { return }
        appendTaskFunctions(to: &script)
        script.append("if in_current_release; then")
        for (phase, task, check) in checks {
            script.append(contentsOf: unlessGuarded(task, taskCall("ask_check", phase: phase, task, command: check)).map { "  " + $0 })
        }
        script.append("fi")
    }
}
