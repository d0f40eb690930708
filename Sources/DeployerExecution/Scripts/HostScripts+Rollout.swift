import DeployerModel

extension HostScripts {
    /// One host's part of a rolling batch, in one round trip: drain hook,
    /// atomic switch (see `switch`), tasks, health check, undrain hook.
    /// Hooks that run on the controller or another host are left out: the
    /// executor runs them before and after this script.
    ///
    /// Each hook reports `hook-start NAME` and `hook-end NAME STATUS` (`Scripts/hook.sh`); each
    /// health try reports, when it failed, its outcome and output (`health-output ATTEMPT LINE`,
    /// `Scripts/healthCheck.sh`), then `health ATTEMPT ATTEMPTS ok|failed`. The
    /// first failure stops the script, so a sick host is never undrained.
    public static func rollout(deployTo: String, _ input: RolloutScript) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        if let release = input.release {
            appendReleaseDirectories(release, to: &script)
        } else {
            script.append(template: HostScriptTemplate.runLogsDirectory, values: ["run_id": input.runID])
        }
        if let drain = input.onHost(.drain) { appendHook(.drain, command: drain, to: &script) }
        guard let release = input.release else {
            script.append(template: HostScriptTemplate.removeCurrent)
            return script
        }
        appendSwitch(to: release, kind: input.kind, runID: input.runID, tasks: input.tasks, to: &script)
        if let health = input.health { appendHealthCheck(health, to: &script) }
        if let undrain = input.onHost(.undrain) { appendHook(.undrain, command: undrain, to: &script) }
        return script
    }

    /// A drain or undrain hook run away from its host's rollout script (see
    /// `HookRunner`): the command alone, in the directory it starts in, with its
    /// errors in its output so that a failure can show their last lines (`Scripts/hookCommand.sh`).
    public static func hook(deployTo: String, command: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.hookCommand, values: ["hook_command": command])
        return script
    }

    /// Runs a hook in `$deploy_to` with its output in `$logs_dir/HOOK.log`; a failure stops the script
    /// with the log's tail (`Scripts/hook.sh`).
    private static func appendHook(_ hook: RolloutHook, command: String, to script: inout ShellScript) {
        script.record(task: "\(hook.rawValue) hook", command: command)
        script.append(template: HostScriptTemplate.hook, values: ["hook_name": hook.rawValue, "hook_command": command])
    }

    /// How much of a failed health check's response body (or command output) each attempt reports.
    static let healthOutputBytes = 16384
    static let healthOutputLines = 200

    /// Waits `grace`, then tries the check up to `attempts` times, `interval` apart, each limited to `timeout`
    /// (`Scripts/healthCheck.sh`). The URL and the socket path are recipe values, one shell word each.
    private static func appendHealthCheck(_ check: RenderedHealthCheck, to script: inout ShellScript) {
        let timeout = duration(check.timeoutSeconds)
        var command = "", url = "''", expectedStatus = "", unixSocket = "''"
        switch check.probe {
        case let .command(probe):
            command = probe
            script.record(task: "health check", command: probe)
        case let .http(probeURL, status, socket):
            url = probeURL; expectedStatus = String(status); unixSocket = socket ?? "''"
            // What -v and a failure show: the curl command the script runs, with the URL it reads from standard input.
            script.record(task: "health check", command: "curl -sS -K - -o \"$logs_dir/health.body\" -w '%{http_code}' "
                + "--max-time \(timeout)" + (socket.map { " --unix-socket " + $0 } ?? "") + " " + probeURL)
        }
        script.append(template: HostScriptTemplate.healthCheck, values: [
            "health_grace": duration(check.graceSeconds), "health_attempts": String(check.attempts),
            "health_interval": duration(check.intervalSeconds), "health_timeout": timeout,
            "health_command": command, "health_expected_status": expectedStatus,
            "health_output_bytes": String(healthOutputBytes), "health_output_lines": String(healthOutputLines),
        ], words: ["health_url": url, "health_unix_socket": unixSocket])
    }

    /// Seconds as `sleep` and `timeout` read them: `2`, `0.5`.
    static func duration(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
