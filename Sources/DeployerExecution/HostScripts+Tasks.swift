import DeployerModel

extension HostScripts {
    /// Runs `tasks` in order in directory `$release_dir`, each skipped when its guards
    /// hold; output goes to `$logs_dir/NAME.log`, and a failure reports the task, its
    /// status and the log's last lines, then stops the script.
    /// `timeout N ` before a command limited to `seconds` (exit status 124 when it runs out), or nothing.
    static func timeoutPrefix(_ seconds: Double?) -> String {
        seconds.map { "timeout \(timeoutSeconds($0)) " } ?? ""
    }

    /// `seconds` as the whole seconds `timeout` is given (rounded up), or nothing when there is no limit.
    static func timeoutSeconds(_ seconds: Double?) -> String {
        seconds.map { String(Int($0.rounded(.up))) } ?? ""
    }

    /// With `showingOutput`, each task's log (masked) is sent back once the task ends, its last
    /// `taskOutputLines` lines as `task-output LINE` markers (`deployer task`), and a failure adds no copy of it.
    static func appendTasks(_ tasks: [ScriptTask], phase: Phase, to script: inout ShellScript, showingOutput: Bool = false) {
        for task in tasks {
            script.record(task: task.name, command: task.command)
            let name = ShellQuote.quote(task.name)
            let phaseWord = phase.rawValue
            let log = "\"$logs_dir\"/" + ShellQuote.quote(task.name + ".log")
            let prefix = taskPrefix(task)
            let timeout = timeoutPrefix(task.timeoutSeconds)
            let guards = guardLines(task, phase: phase)
            let shown = showingOutput
                ? ["log_lines=$(wc -l <\(log)); [ \"$log_lines\" -le \(taskOutputLines) ] || report task-output "
                    + "\"($((log_lines - \(taskOutputLines)))\"" + ShellQuote.quote(" earlier lines are in \(onDemandLogDirectory)/\(task.name).log on the host)"),
                   "tail -n \(taskOutputLines) \(log) | while IFS= read -r line || [ -n \"$line\" ]; do report task-output \"$line\"; done"]
                : []
            let run = (task.irreversible ? [irreversibleStart(task)] : []) + [
                "report task-start \(phaseWord) \(name)",
                "newlog \(log); ( \(prefix) && exec \(timeout)\(ShellScript.commandShell) \(ShellQuote.quote(task.command)) ) </dev/null >\(log) 2>&1; st=$?; masklog \(log)",
            ] + shown + [
                "report task-end \(phaseWord) \(name) $st",
                "[ $st -eq 0 ] || fail \(name) $st" + (showingOutput ? "" : " \(log)"),
            ]
            if guards.isEmpty {
                script.append(contentsOf: run)
            } else {
                script.append(contentsOf: guards)
                script.append("else")
                script.append(contentsOf: run.map { "  " + $0 })
                script.append("fi")
            }
        }
    }

    /// Sets `$release_dir` (the release directory) and `$logs_dir` (its logs directory: `Scripts/releaseDirectories.sh`).
    static func appendReleaseDirectories(_ release: ReleaseID, to script: inout ShellScript) {
        script.append(template: HostScriptTemplate.releaseDirectories, values: ["release": release.rawValue])
    }

    /// The on_failure tasks of a failed push: in the release directory when it was extracted, else
    /// in deploy_to; their logs in `.deployer/on_failure/`.
    public static func failureTasks(deployTo: String, release: ReleaseID, tasks: [ScriptTask]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendReleaseDirectories(release, to: &script)
        script.append("[ -d \"$release_dir\" ] || release_dir=\"$deploy_to\"; logs_dir=\"$deploy_to/.deployer/on_failure\"")
        script.append("mkdir -p \"$logs_dir\" || fail \(Phase.onFailure.rawValue) 1")
        appendTasks(tasks, phase: .onFailure, to: &script)
        return script
    }

    /// The most lines of a task's log `deployer task` sends back (the last ones); the whole log stays on the host.
    static let taskOutputLines = 1000

    /// Where the logs of tasks run on demand (`deployer task`) are kept, relative to deploy_to: never in
    /// the release, whose logs are its push's record.
    static let onDemandLogDirectory = ".deployer/tasks"

    /// `task` run on demand in `release`, the one `current` points at (`deployer task ENV NAME`), its guards
    /// honoured, its log in `.deployer/tasks/NAME.log` and sent back line by line (`task-output`) when it ends.
    public static func onDemandTask(deployTo: String, release: ReleaseID, phase: Phase, task: ScriptTask) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendReleaseDirectories(release, to: &script)
        script.append("logs_dir=\"$deploy_to/\(onDemandLogDirectory)\"")
        script.append("mkdir -p \"$logs_dir\" || fail \(phase.rawValue) 1")
        appendTasks([task], phase: phase, to: &script, showingOutput: true)
        return script
    }

    /// Tasks run in an existing release (before_switch).
    public static func tasks(deployTo: String, release: ReleaseID, phase: Phase, tasks: [ScriptTask]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendReleaseDirectories(release, to: &script)
        script.append("mkdir -p \"$logs_dir\" || fail \(phase.rawValue) 1")
        appendTasks(tasks, phase: phase, to: &script)
        return script
    }
}
