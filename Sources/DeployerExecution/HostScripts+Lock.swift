import DeployerModel
import DeployerPlanning

extension HostScripts {
    /// Takes the deploy lock with an atomic `mkdir`, then probes (so the facts
    /// a run acts on were read under its lock). Reports `lock acquired`,
    /// `lock held`, or `lock broken` when `breakStale` and the holder's
    /// heartbeat is older than its TTL (then `brokenHistoryLine` is recorded).
    /// With `unlessCurrent`, an unlocked host whose current release has that
    /// revision and fingerprint, and finished there (`HostFacts.runsFinished`), is not locked
    /// (`lock skipped`): a no-op push costs one round trip.
    /// A marker with `releaseFingerprint` (the recipe's apart from its hosts) counts as that fingerprint.
    public static func lock(deployTo: String, runID: String, leaseJSON: String, ttlSeconds: Int, breakStale: Bool,
                            brokenHistoryLine: String,
                            unlessCurrent: (revision: String, fingerprint: String)? = nil,
                            releaseFingerprint: String? = nil) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(contentsOf: strictModes())
        script.append("held=''")
        if let (revision, fingerprint) = unlessCurrent {
            // The marker is one line of JSON (written with printf '%s\n'): read once, matched by the shell.
            script.append("if [ ! -d \"$D/.deployer/lock\" ] && [ -L \"$D/current\" ] "
                + "&& j='' && { IFS= read -r j <\"$D/current/\(RemoteLayout.releaseMarkerFile)\" || [ -n \"$j\" ]; } 2>/dev/null "
                + "&& case $j in *\(ShellQuote.quote("\"revision\":\"\(revision)\""))*) true ;; *) false ;; esac "
                // …and finished on this host (`HostFacts.runsFinished`): `current` is the release `.deployer/finished` names.
                + "&& [ ! -L \"$D/\(RemoteLayout.finishedFile)\" ] && fin='' "
                + "&& { IFS= read -r fin <\"$D/\(RemoteLayout.finishedFile)\"; } 2>/dev/null && [ -n \"$fin\" ] "
                + "&& [ \"$D/current\" -ef \"$D/releases/$fin\" ] "
                + "&& case $j in *\(ShellQuote.quote("\"fingerprint\":\"\(fingerprint)\""))*"
                + (releaseFingerprint.map { " | *" + ShellQuote.quote("\"releaseFingerprint\":\"\($0)\"") + "*" } ?? "")
                + ") true ;; *) false ;; esac; then")
            script.append("  m lock skipped")
            script.append("else")
        }
        // A lease that cannot be written in full (a full disk) is no lock: removed, and the step fails.
        // `held` records that this script took the lock: its probe then knows the lease without reading it back.
        let take = [
            "printf '%s\\n' \(ShellQuote.quote(runID)) >\"$D/.deployer/lock/run\"",
            "printf '%s\\n' \(ttlSeconds) >\"$D/.deployer/lock/ttl\"",
            "printf '%s\\n' \"$held\" >\"$D/.deployer/lock/info.json\"",
            "date +%s >\"$D/.deployer/lock/heartbeat\"",
        ].joined(separator: " && ") + " || { rm -rf \"$D/.deployer/lock\"; fail lock 1; }"
        let stale = "\"$D/.deployer/lock.stale.\"" + ShellQuote.quote(runID)
        script.append(contentsOf: [
            // Made writable by their owner only, whatever the umask: the next run's strictModes checks them.
            "[ -d \"$D/.deployer/artifacts\" ] && [ -d \"$D/releases\" ] || (umask 022 && mkdir -p \"$D/.deployer/artifacts\" \"$D/releases\") || fail lock 1",
            // A lock released between a failed mkdir and the check that follows is free: mkdir again, once.
            "if e=$(mkdir \"$D/.deployer/lock\" 2>&1) || { [ ! -e \"$D/.deployer/lock\" ] && [ ! -L \"$D/.deployer/lock\" ] && e=$(mkdir \"$D/.deployer/lock\" 2>&1); }; then",
            "  held=\(ShellQuote.quote(leaseJSON)); \(take); m lock acquired",
            // Not there and not made: a read-only or full disk, or no permission; never "held".
            "elif [ ! -e \"$D/.deployer/lock\" ] && [ ! -L \"$D/.deployer/lock\" ]; then",
            "  printf '%s\\n' \"$e\" >&2; fail lock 1",
            "else",
        ] + readLockAge(lock: "\"$D/.deployer/lock\"", defaultTTL: ttlSeconds).map { "  " + $0 } + [
            "  if [ \(breakStale ? 1 : 0) = 1 ] && [ \"$age\" -gt \"$ttl\" ] && mv \"$D/.deployer/lock\" \(stale) 2>/dev/null && mkdir \"$D/.deployer/lock\" 2>/dev/null; then",
            "    held=\(ShellQuote.quote(leaseJSON)); \(take)",
            "    b=''; [ -f \(stale)/info.json ] && [ ! -L \(stale) ] && [ ! -L \(stale)/info.json ] && { IFS= read -r b <\(stale)/info.json; m broke \"$b\"; }",
            "    printf '%s\\n' \(ShellQuote.quote(brokenHistoryLine)) >>\"$D/.deployer/history.jsonl\"",
            "    rm -rf \(stale); m lock broken",
            // A stale lock this login cannot move aside (another owner's directory without write permission).
            "  elif [ \(breakStale ? 1 : 0) = 1 ] && [ \"$age\" -gt \"$ttl\" ] && [ -e \"$D/.deployer/lock\" ] && [ ! -L \"$D/.deployer/lock\" ]; then",
            "    fail \"the stale lock $D/.deployer/lock cannot be moved aside by $(id -un) ($(stat -c 'owner %U, mode %a' \"$D/.deployer/lock\")); as its owner or root: rm -rf $D/.deployer/lock\" 1",
            "  else",
            "    m lock held",
            "  fi",
            "fi",
        ])
        if unlessCurrent != nil { script.append("fi") }
        appendProbe(to: &script, afterLock: true)
        return script
    }

    /// Releases the lock only if `runID` holds it: a run never removes another run's lock.
    public static func unlock(deployTo: String, runID: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendUnlock(runID: runID, to: &script)
        return script
    }

    /// `Scripts/unlock.sh`.
    static func appendUnlock(runID: String, to script: inout ShellScript) {
        script.append(template: HostScriptTemplate.unlock, values: ["run_id": runID])
    }

    /// Removes whatever lock there is (`deployer unlock`), recording who did it.
    public static func forceUnlock(deployTo: String, historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(contentsOf: strictModes())
        script.append(contentsOf: [
            // Whatever form the lock has (a directory, a file, a link), it goes; a link is removed, never followed.
            "if [ -e \"$D/.deployer/lock\" ] || [ -L \"$D/.deployer/lock\" ]; then",
            "  b=''; [ ! -L \"$D/.deployer/lock\" ] && [ -f \"$D/.deployer/lock/info.json\" ] && [ ! -L \"$D/.deployer/lock/info.json\" ] "
                + "&& { IFS= read -r b <\"$D/.deployer/lock/info.json\"; m broke \"$b\"; }",
            "  rm -rf \"$D/.deployer/lock\" || fail unlock 1",
            "  printf '%s\\n' \(ShellQuote.quote(historyLine)) >>\"$D/.deployer/history.jsonl\"",
            "  m lock released",
            "fi",
        ])
        return script
    }

    /// Refreshes the lease's heartbeat while `runID` still holds it; reports `heartbeat lost` otherwise
    /// (`Scripts/heartbeat.sh`).
    public static func heartbeat(deployTo: String, runID: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.heartbeat, values: ["run_id": runID])
        return script
    }

    /// Sets `age` (seconds since the heartbeat of the lock at `lock`, a shell word) and `ttl` (its lease,
    /// `defaultTTL` when unreadable): `read_lock_age` of `Scripts/preamble.sh`, for the lock script.
    static func readLockAge(lock: String, defaultTTL: Int) -> [String] {
        ["read_lock_age \(lock) \(defaultTTL)", "age=$lock_age; ttl=$lock_ttl"]
    }
}
