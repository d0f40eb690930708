import DeployerModel

extension HostScripts {
    /// One host's part of a rolling batch, in one round trip: drain hook,
    /// atomic switch (see `switch`), tasks, health check, undrain hook.
    /// Hooks that run on the controller or another host are left out: the
    /// executor runs them before and after this script.
    ///
    /// Each hook reports `hook-start NAME` and `hook-end NAME STATUS`; each
    /// health try reports, when it failed, its outcome and output (`health-output ATTEMPT LINE`, see
    /// `appendHealthCheck`), then `health ATTEMPT ATTEMPTS ok|failed`. The
    /// first failure stops the script, so a sick host is never undrained.
    public static func rollout(deployTo: String, _ input: RolloutScript) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        if let release = input.release {
            appendReleaseDirectories(release, to: &script)
        } else {
            // No release to log into: the run's own directory.
            script.append("logs_dir=\"$deploy_to\"/.deployer/logs/\(ShellQuote.quote(input.runID))")
        }
        if let drain = input.onHost(.drain) {
            script.append("mkdir -p \"$logs_dir\" || fail 'drain hook' 1")
            appendHook(.drain, command: drain, to: &script)
        }
        guard let release = input.release else {
            appendRemoveCurrent(to: &script)
            return script
        }
        appendSwitch(to: release, kind: input.kind, runID: input.runID, tasks: input.tasks, to: &script)
        if let health = input.health { appendHealthCheck(health, to: &script) }
        if let undrain = input.onHost(.undrain) { appendHook(.undrain, command: undrain, to: &script) }
        return script
    }

    /// A drain or undrain hook run away from its host's rollout script (see
    /// `HookRunner`): the command alone, in the directory it starts in, with its
    /// errors in its output so that a failure can show their last lines.
    public static func hook(deployTo: String, command: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append("exec sh -c \(ShellQuote.quote(command)) </dev/null 2>&1")
        return script
    }

    /// Runs a hook in `$deploy_to` with its output in `$logs_dir/HOOK.log`; a failure stops the script with the log's tail.
    private static func appendHook(_ hook: RolloutHook, command: String, to script: inout ShellScript) {
        let name = hook.rawValue
        let log = "\"$logs_dir\"/\(name).log"
        script.record(task: "\(name) hook", command: command)
        script.append(contentsOf: [
            "report hook-start \(name)",
            "newlog \(log); ( cd \"$deploy_to\" && exec \(ShellScript.commandShell) \(ShellQuote.quote(command)) ) </dev/null >\(log) 2>&1; st=$?; masklog \(log)",
            "report hook-end \(name) $st",
            "[ $st -eq 0 ] || fail '\(name) hook' $st \(log)",
        ])
    }

    /// How much of a failed health check's response body (or command output) each attempt reports.
    static let healthOutputBytes = 16384
    static let healthOutputLines = 200

    /// Waits `grace`, then tries the check up to `attempts` times, `interval` apart, each limited to `timeout`.
    /// A failed attempt reports its outcome as its first output line (`HTTP status 500, expected 200`,
    /// `no answer: …`, `exit status 7`, `timed out after 10 s`), then the response body or the command's output.
    private static func appendHealthCheck(_ check: RenderedHealthCheck, to script: inout ShellScript) {
        let log = "\"$logs_dir\"/health.log"
        let timeout = duration(check.timeoutSeconds)
        let probe: [String]
        switch check.probe {
        case let .command(command):
            script.record(task: "health check", command: command)
            probe = [
                "  newlog \"$logs_dir\"/health.out; newlog \(log)",
                "  ( cd \"$release_dir\" && exec timeout \(timeout) \(ShellScript.commandShell) \(ShellQuote.quote(command)) ) </dev/null >\"$logs_dir\"/health.out 2>&1; st=$?",
                "  masklog \"$logs_dir\"/health.out",
                "  if [ $st -eq 124 ]; then echo \"timed out after \(timeout) s\"; else echo \"exit status $st\"; fi >\(log)",
                "  head -c \(healthOutputBytes) \"$logs_dir\"/health.out >>\(log)",
            ]
        case let .http(url, status, unixSocket):
            let socket = unixSocket.map { " --unix-socket " + $0 } ?? ""
            // The URL (which may hold a secret) goes to curl as its config on standard input, `url = "…"`
            // with `\\` and `"` escaped, written by the shell's printf builtin: never on a command line.
            let curl = "curl -sS -K - -o \"$logs_dir\"/health.body -w '%{http_code}' --max-time \(timeout)\(socket)"
            script.record(task: "health check", command: curl + " " + url)
            probe = [
                "  newlog \(log); newlog \"$logs_dir\"/health.body; newlog \"$logs_dir\"/health.err",
                "  code=$(cd \"$release_dir\" && printf '%s\\n' \(url) | sed 's/[\\\\\"]/\\\\&/g; s/^/url = \"/; s/$/\"/' | \(curl) 2>\"$logs_dir\"/health.err); st=$?",
                "  masklog \"$logs_dir\"/health.err; masklog \"$logs_dir\"/health.body",
                "  if [ \"$code\" = \(status) ]; then st=0; else",
                "    if [ $st -ne 0 ]; then echo \"no answer: $(head -n 1 \"$logs_dir\"/health.err)\"; "
                    + "else echo \"HTTP status $code, expected \(status)\"; fi >\(log)",
                "    head -c \(healthOutputBytes) \"$logs_dir\"/health.body >>\(log) 2>/dev/null",
                "    [ $st -eq 0 ] && st=1",
                "  fi",
            ]
        }
        if check.graceSeconds > 0 { script.append("sleep \(duration(check.graceSeconds))") }
        script.append("attempt=1")
        script.append("while :; do")
        script.append(contentsOf: probe)
        script.append(contentsOf: [
            "  masklog \(log)",
            "  if [ $st -eq 0 ]; then report health $attempt \(check.attempts) ok; break; fi",
            "  head -n \(healthOutputLines) \(log) | while IFS= read -r line; do report health-output $attempt \"$line\"; done",
            "  report health $attempt \(check.attempts) failed",
            // Each attempt reported its outcome and output: the failure adds no copy of the last one.
            "  [ $attempt -ge \(check.attempts) ] && fail 'health check failed after \(check.attempts) attempt"
                + (check.attempts == 1 ? "" : "s") + "' $st",
            "  sleep \(duration(check.intervalSeconds)); attempt=$((attempt + 1))",
            "done",
        ])
    }

    /// Seconds as `sleep` and `timeout` read them: `2`, `0.5`.
    static func duration(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
