import DeployerModel

extension HostScripts {
    /// How a run ends on one host.
    public struct FinishInput: Hashable, Sendable {
        /// The release to mark `.deployer-failed` (with this reason), when the attempt failed.
        public var markFailed: (release: ReleaseID, reason: String)?
        /// One `HistoryRecord` as a JSON line.
        public var historyLine: String
        /// Release directories to delete (from `PrunePlan`).
        public var prune: [ReleaseID]
        /// Also delete environments no release links to and artifacts no release came from.
        public var pruneCaches: Bool
        public var runID: String
        /// The release this run left the host on when every after_switch task and the health check
        /// passed there (`RolloutResult.finished`): recorded in `RemoteLayout.finishedFile`. Nil leaves
        /// the file as it is (the switch empties it, so a host switched and not finished is never taken for done).
        public var finished: ReleaseID?
        /// The irreversible tasks this run started on any host, recorded on this one too.
        public var irreversible: [IrreversibleRun]

        public init(markFailed: (release: ReleaseID, reason: String)?, historyLine: String, prune: [ReleaseID],
                    pruneCaches: Bool, runID: String, finished: ReleaseID? = nil, irreversible: [IrreversibleRun] = []) {
            self.markFailed = markFailed; self.historyLine = historyLine; self.prune = prune
            self.pruneCaches = pruneCaches; self.runID = runID; self.finished = finished; self.irreversible = irreversible
        }

        public static func == (lhs: FinishInput, rhs: FinishInput) -> Bool {
            lhs.markFailed?.release == rhs.markFailed?.release && lhs.markFailed?.reason == rhs.markFailed?.reason
                && lhs.historyLine == rhs.historyLine && lhs.prune == rhs.prune && lhs.pruneCaches == rhs.pruneCaches
                && lhs.runID == rhs.runID && lhs.finished == rhs.finished && lhs.irreversible == rhs.irreversible
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(historyLine) }
    }

    /// Marks a failed attempt, appends history, records the release finished on this host, prunes,
    /// and releases this run's lock, in one round trip (`Scripts/lines.sh`, `Scripts/finish.sh`, then `Scripts/unlock.sh`).
    public static func finish(deployTo: String, _ input: FinishInput) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.lines)
        script.append(template: HostScriptTemplate.finish, values: [
            "run_id": input.runID,
            "failed_release": input.markFailed?.release.rawValue ?? "", "failed_reason": input.markFailed?.reason ?? "",
            "history_line": input.historyLine, "irreversible_runs": input.irreversible.map { Executor.jsonLine($0) }.joined(separator: "\n"),
            "finished_release": input.finished?.rawValue ?? "",
            "prune_releases": input.prune.map(\.rawValue).joined(separator: "\n"), "prune_caches": input.pruneCaches ? "1" : "0",
        ])
        appendUnlock(runID: input.runID, to: &script)
        return script
    }
}
