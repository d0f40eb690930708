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
    /// and releases this run's lock, in one round trip.
    public static func finish(deployTo: String, _ input: FinishInput) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        if let (release, reason) = input.markFailed {
            let directory = "\"$D/releases\"/" + ShellQuote.quote(release.rawValue)
            // Unmarked, the release looks complete and a rollback could choose it: say so when the mark cannot be written.
            // The release `current` points at is never marked (a host that runs it unfinished, switched back to it).
            let unmarked = "could not mark release \(release.rawValue) failed (\(RemoteLayout.failedMarkerFile) not written: "
                + "is the disk full?); until it is marked, a rollback may choose it"
            script.append("if [ -d \(directory) ] && ! [ \"$D/current\" -ef \(directory) ]; then if printf '%s\\n' \(ShellQuote.quote(reason)) "
                + ">\(directory)/\(RemoteLayout.failedMarkerFile) 2>/dev/null; then m marked-failed \(ShellQuote.quote(release.rawValue)); "
                + "else m warning \(ShellQuote.quote(unmarked)); fi; fi")
        }
        script.append("{ [ -d \"$D/.deployer\" ] || mkdir -p \"$D/.deployer\"; } && printf '%s\\n' \(ShellQuote.quote(input.historyLine)) "
            + ">>\"$D/.deployer/history.jsonl\" || m warning 'could not append to history'")
        appendIrreversibleRuns(input.irreversible, to: &script)
        if let finished = input.finished {
            // Renamed into place: never half-written, and a link there is replaced, never written through.
            let file = "\"$D/\(RemoteLayout.finishedFile)\""
            let temporary = "\"$D/\(RemoteLayout.finishedFile).tmp\""
            let unrecorded = "could not record in \(RemoteLayout.finishedFile) that release \(finished.rawValue) finished here: "
                + "the next push of it runs its after_switch tasks and health check here again"
            script.append("{ [ ! -L \(temporary) ] || rm -f \(temporary); } && printf '%s\\n' \(ShellQuote.quote(finished.rawValue)) "
                + ">\(temporary) && mv -f \(temporary) \(file) || m warning \(ShellQuote.quote(unrecorded))")
        }
        for release in input.prune {
            script.append("rm -rf \"$D/releases\"/\(ShellQuote.quote(release.rawValue)) && m pruned \(ShellQuote.quote(release.rawValue))")
        }
        if input.pruneCaches {
            // An env without its .complete mark was left by a build that died (this run holds the lock: none is under way).
            script.append("for d in \"$D\"/envs/*; do [ -d \"$d\" ] || continue; n=${d##*/}; "
                + "[ -f \"$D/envs/.$n.complete\" ] || { rm -rf \"$d\"; m pruned-env \"$n\"; }; done")
        }
        if input.pruneCaches && !input.prune.isEmpty {
            // Only files older than ten minutes: an upload of another run may be in flight (uploads precede the lock).
            script.append(contentsOf: [
                // The links of every release, read (one process) only when there is an environment to check.
                "lr=0",
                "for e in \"$D\"/envs/.*.complete; do",
                "  [ -f \"$e\" ] || continue; n=${e##*/.}; n=${n%.complete}",
                "  [ $lr = 1 ] || { links=$(readlink \"$D\"/releases/*/* \"$D\"/releases/*/.[!.]* 2>/dev/null); lr=1; }",
                "  case \"\n$links\n\" in *\"\n../../envs/$n\n\"*) ;; *) rm -rf \"$D/envs/$n\" \"$e\"; m pruned-env \"$n\" ;; esac",
                "done",
                // Each release's digest file (one line) read by the shell.
                "used=''",
                "for u in \"$D\"/releases/*/\(RemoteLayout.artifactDigestFile); do",
                "  [ -f \"$u\" ] && { x=''; IFS= read -r x <\"$u\"; used=\"$used\n$x\"; } 2>/dev/null",
                "done",
                "find \"$D/.deployer/artifacts\" -maxdepth 1 -type f -mmin +10 2>/dev/null | while read -r a; do",
                "  s=${a##*/}; s=${s%%.*}",
                "  case \"\n$used\n\" in *\"\n$s\n\"*) ;; *) rm -f \"$a\"; m pruned-artifact \"$s\" ;; esac",
                "done",
            ])
        }
        appendUnlock(runID: input.runID, to: &script)
        return script
    }
}
