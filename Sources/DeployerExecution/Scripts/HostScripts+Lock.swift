import DeployerModel
import DeployerPlanning

extension HostScripts {
    /// Takes the deploy lock with an atomic `mkdir` (`Scripts/lock.sh`, after `Scripts/strictModes.sh`),
    /// then probes (so the facts a run acts on were read under its lock). Reports `lock acquired`,
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
        script.append(template: HostScriptTemplate.strictModes)
        script.append(template: HostScriptTemplate.lock, values: [
            "run_id": runID, "lease_json": leaseJSON, "lease_ttl": String(ttlSeconds), "break_stale": breakStale ? "1" : "0",
            "broken_history_line": brokenHistoryLine, "unless_revision": unlessCurrent?.revision ?? "",
            "unless_fingerprint": unlessCurrent?.fingerprint ?? "", "unless_release_fingerprint": releaseFingerprint ?? "",
        ])
        appendProbe(to: &script)
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

    /// Removes whatever lock there is (`deployer unlock`), recording who did it (`Scripts/forceUnlock.sh`).
    public static func forceUnlock(deployTo: String, historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.strictModes)
        script.append(template: HostScriptTemplate.forceUnlock, values: ["history_line": historyLine])
        return script
    }

    /// Refreshes the lease's heartbeat while `runID` still holds it; reports `heartbeat lost` otherwise
    /// (`Scripts/heartbeat.sh`).
    public static func heartbeat(deployTo: String, runID: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.heartbeat, values: ["run_id": runID])
        return script
    }
}
