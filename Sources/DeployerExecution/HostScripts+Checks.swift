import DeployerModel

/// `check:` on the host: each checked task's check runs at the end of prepare, in the new release,
/// and leaves its answer there for the script that runs the task (`checkTest`).
extension HostScripts {
    /// Lines of a pending check's output reported, each cut to `checkOutputColumns` characters:
    /// enough for a list of migrations, bounded whatever the command prints (the whole output stays
    /// in the release's log, `.deployer-logs/NAME.check.log`).
    static let checkOutputLines = 40
    static let checkOutputColumns = 300

    /// What a failed check reports (its `fail` marker, and the key its command is recorded under).
    static func checkFailure(_ task: String) -> String {
        "the check of task '\(task)' (exit 0: nothing pending, 1: work pending; any other status is a failure)"
    }

    /// The file a check that found nothing pending leaves in the release's logs directory.
    static func nothingPendingFile(_ task: ScriptTask) -> String {
        "\"$logs_dir\"/" + ShellQuote.quote(task.name + ".nothing-pending")
    }

    /// The shell test, true when `task`'s check found nothing pending, and the reason its skip reports.
    static func checkTest(_ task: ScriptTask) -> (test: String, reason: String)? {
        guard task.check != nil else { return nil }
        return ("[ -e \(nothingPendingFile(task)) ]", "check: nothing pending")
    }

    /// Runs the check of each task of `tasks` that has one, unless the task's guards skip it, in `$release_dir`
    /// with the task's `env` (its output
    /// masked into `$logs_dir/NAME.check.log`): exit 0 leaves `nothingPendingFile`, 1 reports the output's
    /// first lines (`check-output`), and both report `check PHASE NAME STATUS`; any other status fails the script.
    static func appendChecks(_ tasks: [Phase: [ScriptTask]], to script: inout ShellScript) {
        for (phase, task) in tasks.sorted(by: { $0.key < $1.key }).flatMap({ phase, tasks in tasks.map { (phase, $0) } }) {
            guard let check = task.check else { continue }
            let name = ShellQuote.quote(task.name)
            let log = "\"$logs_dir\"/" + ShellQuote.quote(task.name + ".check.log")
            let failure = checkFailure(task.name)
            script.record(task: failure, command: check)
            script.append("rm -f \(nothingPendingFile(task))")
            script.append(contentsOf: unlessGuarded(task, [
                "newlog \(log)",
                "( \(taskPrefix(task)) && exec \(timeoutPrefix(task.timeoutSeconds))\(ShellScript.commandShell) "
                    + "\(ShellQuote.quote(check)) ) </dev/null >\(log) 2>&1; st=$?; masklog \(log)",
                "case $st in",
                "  0) : >\(nothingPendingFile(task)) || fail \(ShellQuote.quote(failure)) 1 ;;",
                "  1) head -n \(checkOutputLines) \(log) | cut -c 1-\(checkOutputColumns) "
                    + "| while IFS= read -r line; do report check-output \(name) \"$line\"; done ;;",
                "  *) fail \(ShellQuote.quote(failure)) $st \(log) ;;",
                "esac",
                "report check \(phase.rawValue) \(name) $st",
            ]))
        }
    }

    /// `lines`, run only when none of `task`'s guards (`creates`, `unless`, `only_if`) holds: a check
    /// is not asked where its task would be skipped anyway, since it may touch what the task would
    /// (Django's opens the database, and SQLite creates the file).
    static func unlessGuarded(_ task: ScriptTask, _ lines: [String]) -> [String] {
        var unchecked = task
        unchecked.check = nil
        let guards = guardTests(unchecked).enumerated().map { index, guardTest in
            "\(index == 0 ? "if" : "elif") \(guardTest.test); then :"
        }
        return guards.isEmpty ? lines : guards + ["else"] + lines.map { "  " + $0 } + ["fi"]
    }

    /// For `deployer plan --run-guards`: runs each check of `tasks` (whose guards the plan may run:
    /// `Executor.unanswerable`) in the release `current` points at, when there is one and the task's
    /// guards do not skip it, reporting only `check PHASE NAME STATUS` (its output goes nowhere: nothing is
    /// written on the host, and a plan prints no command output).
    static func appendCurrentReleaseChecks(_ tasks: [Phase: [ScriptTask]], to script: inout ShellScript) {
        let checks = tasks.sorted(by: { $0.key < $1.key }).flatMap { phase, tasks in tasks.map { (phase, $0) } }
            .compactMap { phase, task in task.check.map { (phase, task, $0) } }
        guard !checks.isEmpty else { return }
        script.append("if [ -d \"$deploy_to/current\" ]; then release_dir=\"$deploy_to/current\"")
        for (phase, task, check) in checks {
            script.append(contentsOf: unlessGuarded(task, [
                "( \(taskPrefix(task)) && exec \(timeoutPrefix(task.timeoutSeconds))\(ShellScript.commandShell) "
                    + "\(ShellQuote.quote(check)) ) </dev/null >/dev/null 2>&1; report check \(phase.rawValue) \(ShellQuote.quote(task.name)) $?",
            ]).map { "  " + $0 })
        }
        script.append("fi")
    }
}
