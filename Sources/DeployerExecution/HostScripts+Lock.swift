import DeployerModel

extension HostScripts {
    /// Takes the deploy lock with an atomic `mkdir`, then probes (so the facts
    /// a run acts on were read under its lock). Reports `lock acquired`,
    /// `lock held`, or `lock broken` when `breakStale` and the holder's
    /// heartbeat is older than its TTL (then `brokenHistoryLine` is recorded).
    /// With `unlessCurrent`, an unlocked host whose current release has that
    /// revision and fingerprint is not locked (`lock skipped`): a no-op push costs one round trip.
    /// A marker with `releaseFingerprint` (the recipe's apart from its hosts) counts as that fingerprint.
    public static func lock(deployTo: String, runID: String, leaseJSON: String, ttlSeconds: Int, breakStale: Bool,
                            brokenHistoryLine: String,
                            unlessCurrent: (revision: String, fingerprint: String)? = nil,
                            releaseFingerprint: String? = nil) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append("held=''")
        if let (revision, fingerprint) = unlessCurrent {
            // The marker is one line of JSON (written with printf '%s\n'): read once, matched by the shell.
            script.append("if [ ! -d \"$D/.deployer/lock\" ] && [ -L \"$D/current\" ] "
                + "&& j='' && { IFS= read -r j <\"$D/current/\(RemoteLayout.releaseMarkerFile)\" || [ -n \"$j\" ]; } 2>/dev/null "
                + "&& case $j in *\(ShellQuote.quote("\"revision\":\"\(revision)\""))*) true ;; *) false ;; esac "
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
            "[ -d \"$D/.deployer/artifacts\" ] || mkdir -p \"$D/.deployer/artifacts\" || fail lock 1",
            // A lock released between a failed mkdir and the check that follows is free: mkdir again, once.
            "if e=$(mkdir \"$D/.deployer/lock\" 2>&1) || { [ ! -d \"$D/.deployer/lock\" ] && e=$(mkdir \"$D/.deployer/lock\" 2>&1); }; then",
            "  held=\(ShellQuote.quote(leaseJSON)); \(take); m lock acquired",
            // Not there and not made: a read-only or full disk, or no permission; never "held".
            "elif [ ! -d \"$D/.deployer/lock\" ]; then",
            "  printf '%s\\n' \"$e\" >&2; fail lock 1",
            "else",
            "  { IFS= read -r hb <\"$D/.deployer/lock/heartbeat\"; } 2>/dev/null || hb=$(stat -c %Y \"$D/.deployer/lock\" 2>/dev/null) || hb=$(date +%s)",
            "  { IFS= read -r ttl <\"$D/.deployer/lock/ttl\"; } 2>/dev/null || ttl=\(ttlSeconds)",
            "  if [ \(breakStale ? 1 : 0) = 1 ] && [ $(( $(date +%s) - hb )) -gt \"$ttl\" ] && mv \"$D/.deployer/lock\" \(stale) 2>/dev/null && mkdir \"$D/.deployer/lock\" 2>/dev/null; then",
            "    held=\(ShellQuote.quote(leaseJSON)); \(take)",
            "    b=''; [ -f \(stale)/info.json ] && { IFS= read -r b <\(stale)/info.json; m broke \"$b\"; }",
            "    printf '%s\\n' \(ShellQuote.quote(brokenHistoryLine)) >>\"$D/.deployer/history.jsonl\"",
            "    rm -rf \(stale); m lock broken",
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

    static func appendUnlock(runID: String, to script: inout ShellScript) {
        script.append("\(readRunLine); if [ \"$o\" = \(ShellQuote.quote(runID)) ]; then "
            + "rm -rf \"$D/.deployer/lock\" && m lock released; fi")
    }

    /// `o`: the id of the run holding the lock (its `run` file, one line), or empty.
    private static let readRunLine = "o=''; { IFS= read -r o <\"$D/.deployer/lock/run\"; } 2>/dev/null"

    /// Removes whatever lock there is (`deployer unlock`), recording who did it.
    public static func forceUnlock(deployTo: String, historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(contentsOf: [
            "if [ -d \"$D/.deployer/lock\" ]; then",
            "  b=''; [ -f \"$D/.deployer/lock/info.json\" ] && { IFS= read -r b <\"$D/.deployer/lock/info.json\"; m broke \"$b\"; }",
            "  rm -rf \"$D/.deployer/lock\" || fail unlock 1",
            "  printf '%s\\n' \(ShellQuote.quote(historyLine)) >>\"$D/.deployer/history.jsonl\"",
            "  m lock released",
            "fi",
        ])
        return script
    }

    /// Refreshes the lease's heartbeat while `runID` still holds it; reports `heartbeat lost` otherwise.
    public static func heartbeat(deployTo: String, runID: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append("\(readRunLine); if [ \"$o\" = \(ShellQuote.quote(runID)) ]; then "
            + "date +%s >\"$D/.deployer/lock/heartbeat.tmp\" && mv -f \"$D/.deployer/lock/heartbeat.tmp\" "
            + "\"$D/.deployer/lock/heartbeat\" && m heartbeat ok; else m heartbeat lost; fi")
        return script
    }
}
