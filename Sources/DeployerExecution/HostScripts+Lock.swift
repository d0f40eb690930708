import DeployerModel

extension HostScripts {
    /// Takes the deploy lock with an atomic `mkdir`, then probes (so the facts
    /// a run acts on were read under its lock). Reports `lock acquired`,
    /// `lock held`, or `lock broken` when `breakStale` and the holder's
    /// heartbeat is older than its TTL (then `brokenHistoryLine` is recorded).
    /// With `unlessCurrent`, an unlocked host whose current release has that
    /// revision and fingerprint is not locked (`lock skipped`): a no-op push costs one round trip.
    public static func lock(deployTo: String, runID: String, leaseJSON: String, ttlSeconds: Int, breakStale: Bool,
                            brokenHistoryLine: String,
                            unlessCurrent: (revision: String, fingerprint: String)? = nil) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        if let (revision, fingerprint) = unlessCurrent {
            let marker = "\"$D/$c/\(RemoteLayout.releaseMarkerFile)\""
            script.append("if [ ! -d \"$D/.deployer/lock\" ] && c=$(readlink \"$D/current\" 2>/dev/null) "
                + "&& grep -qF \(ShellQuote.quote("\"revision\":\"\(revision)\"")) \(marker) 2>/dev/null "
                + "&& grep -qF \(ShellQuote.quote("\"fingerprint\":\"\(fingerprint)\"")) \(marker) 2>/dev/null; then")
            script.append("  m lock skipped")
            script.append("else")
        }
        // A lease that cannot be written in full (a full disk) is no lock: removed, and the step fails.
        let take = [
            "printf '%s\\n' \(ShellQuote.quote(runID)) >\"$D/.deployer/lock/run\"",
            "printf '%s\\n' \(ttlSeconds) >\"$D/.deployer/lock/ttl\"",
            "printf '%s\\n' \(ShellQuote.quote(leaseJSON)) >\"$D/.deployer/lock/info.json\"",
            "date +%s >\"$D/.deployer/lock/heartbeat\"",
        ].joined(separator: " && ") + " || { rm -rf \"$D/.deployer/lock\"; fail lock 1; }"
        let stale = "\"$D/.deployer/lock.stale.\"" + ShellQuote.quote(runID)
        script.append(contentsOf: [
            "[ -d \"$D/.deployer/artifacts\" ] || mkdir -p \"$D/.deployer/artifacts\" || fail lock 1",
            "if e=$(mkdir \"$D/.deployer/lock\" 2>&1); then",
            "  \(take); m lock acquired",
            // Not there and not made: a read-only or full disk, or no permission; never "held".
            "elif [ ! -d \"$D/.deployer/lock\" ]; then",
            "  printf '%s\\n' \"$e\" >&2; fail lock 1",
            "else",
            "  hb=$(cat \"$D/.deployer/lock/heartbeat\" 2>/dev/null) || hb=$(stat -c %Y \"$D/.deployer/lock\" 2>/dev/null) || hb=$(date +%s)",
            "  ttl=$(cat \"$D/.deployer/lock/ttl\" 2>/dev/null) || ttl=\(ttlSeconds)",
            "  if [ \(breakStale ? 1 : 0) = 1 ] && [ $(( $(date +%s) - hb )) -gt \"$ttl\" ] && mv \"$D/.deployer/lock\" \(stale) 2>/dev/null && mkdir \"$D/.deployer/lock\" 2>/dev/null; then",
            "    \(take)",
            "    [ -f \(stale)/info.json ] && m broke \"$(cat \(stale)/info.json)\"",
            "    printf '%s\\n' \(ShellQuote.quote(brokenHistoryLine)) >>\"$D/.deployer/history.jsonl\"",
            "    rm -rf \(stale); m lock broken",
            "  else",
            "    m lock held",
            "  fi",
            "fi",
        ])
        if unlessCurrent != nil { script.append("fi") }
        appendProbe(to: &script)
        return script
    }

    /// Releases the lock only if `runID` holds it: a run never removes another run's lock.
    public static func unlock(deployTo: String, runID: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendUnlock(runID: runID, to: &script)
        return script
    }

    static func appendUnlock(runID: String, to script: inout ShellScript) {
        script.append("if [ \"$(cat \"$D/.deployer/lock/run\" 2>/dev/null)\" = \(ShellQuote.quote(runID)) ]; then "
            + "rm -rf \"$D/.deployer/lock\" && m lock released; fi")
    }

    /// Removes whatever lock there is (`deployer unlock`), recording who did it.
    public static func forceUnlock(deployTo: String, historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(contentsOf: [
            "if [ -d \"$D/.deployer/lock\" ]; then",
            "  [ -f \"$D/.deployer/lock/info.json\" ] && m broke \"$(cat \"$D/.deployer/lock/info.json\")\"",
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
        script.append("if [ \"$(cat \"$D/.deployer/lock/run\" 2>/dev/null)\" = \(ShellQuote.quote(runID)) ]; then "
            + "date +%s >\"$D/.deployer/lock/heartbeat.tmp\" && mv -f \"$D/.deployer/lock/heartbeat.tmp\" "
            + "\"$D/.deployer/lock/heartbeat\" && m heartbeat ok; else m heartbeat lost; fi")
        return script
    }
}
