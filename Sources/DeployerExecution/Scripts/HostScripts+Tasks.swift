import DeployerModel

extension HostScripts {
    /// `seconds` as the whole seconds `timeout` is given (rounded up), or nothing when there is no limit.
    static func timeoutSeconds(_ seconds: Double?) -> String {
        seconds.map { String(Int($0.rounded(.up))) } ?? ""
    }

    /// The functions of `Scripts/tasks.sh`, once per script, before its first task, guard or check.
    /// `showingOutput` (`deployer task`) sends each task's log back when the task ends: its last
    /// `taskOutputLines` lines as `task-output LINE` markers, and a failure adds no copy of it.
    static func appendTaskFunctions(to script: inout ShellScript, showingOutput: Bool = false) {
        script.appendOnce(template: HostScriptTemplate.tasks, values: [
            "task_output_lines": showingOutput ? String(taskOutputLines) : "",
            "check_output_lines": String(checkOutputLines), "check_output_columns": String(checkOutputColumns),
        ])
    }

    /// `function PHASE NAME SECONDS COMMAND NAME=VALUE…`: a call of `Scripts/tasks.sh` that runs `command`
    /// as part of `task` (its timeout and env).
    static func taskCall(_ function: String, phase: Phase, _ task: ScriptTask, command: String) -> String {
        ShellQuote.join([function, phase.rawValue, task.name, timeoutSeconds(task.timeoutSeconds), command])
            + environmentArguments(task)
    }

    /// The task's env as trailing `NAME=VALUE` arguments (each value already one shell word).
    static func environmentArguments(_ task: ScriptTask) -> String {
        task.environment.map { " \($0.key)=\($0.value)" }.joined()
    }

    /// Runs `tasks` in order in directory `$release_dir`, each skipped when its guards
    /// hold; output goes to `$logs_dir/NAME.log`, and a failure reports the task, its
    /// status and the log's last lines, then stops the script (`run_task` in `Scripts/tasks.sh`).
    static func appendTasks(_ tasks: [ScriptTask], phase: Phase, to script: inout ShellScript) {
        guard !tasks.isEmpty else { return }
        appendTaskFunctions(to: &script)
        for task in tasks {
            script.record(task: task.name, command: task.command)
            let run = (task.irreversible ? [ShellQuote.join(["record_irreversible", task.name, Executor.jsonLine(task.name)])] : [])
                + [taskCall("run_task", phase: phase, task, command: task.command)]
            let guards = guardLines(task, phase: phase)
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
        appendTaskFunctions(to: &script)
        script.append("release_or_deploy_to")
        script.append(ShellQuote.join(["task_logs_directory", Phase.onFailure.rawValue, ".deployer/on_failure"]))
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
        appendTaskFunctions(to: &script, showingOutput: true)
        script.append(ShellQuote.join(["task_logs_directory", phase.rawValue, onDemandLogDirectory]))
        appendTasks([task], phase: phase, to: &script)
        return script
    }

    /// Tasks run in an existing release (before_switch).
    public static func tasks(deployTo: String, release: ReleaseID, phase: Phase, tasks: [ScriptTask]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendReleaseDirectories(release, to: &script)
        appendTaskFunctions(to: &script)
        script.append(ShellQuote.join(["task_logs_directory", phase.rawValue]))
        appendTasks(tasks, phase: phase, to: &script)
        return script
    }
}
