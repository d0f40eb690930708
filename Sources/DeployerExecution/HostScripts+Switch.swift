import DeployerModel

extension HostScripts {
    /// Points `current` at `release` atomically (a new symlink renamed over
    /// the old one, so `current` never dangles or disappears), reports
    /// `switched FROM TO`, then runs `tasks` (after_switch, after_rollback) in it.
    ///
    /// A push or rollback records in the release which one was current before it
    /// (`RemoteLayout.previousFile`), and a rollback marks the release it leaves
    /// (`RemoteLayout.rolledBackFile`): a plain rollback follows the first and skips
    /// the second. A revert (switching back a failed batch) records nothing: the host
    /// returns to where it was.
    public static func `switch`(deployTo: String, release: ReleaseID, kind: SwitchKind, runID: String,
                                tasks: [(phase: Phase, tasks: [ScriptTask])]) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendSwitch(to: release, kind: kind, runID: runID, tasks: tasks, to: &script)
        return script
    }

    /// The switch and its tasks, appended to `script` (see `switch`).
    static func appendSwitch(to release: ReleaseID, kind: SwitchKind, runID: String,
                             tasks: [(phase: Phase, tasks: [ScriptTask])], to script: inout ShellScript) {
        let id = ShellQuote.quote(release.rawValue)
        let temporary = "\"$D\"/" + ShellQuote.quote(".current." + runID)
        appendHoldLock(runID: runID, step: kind == .revert ? .revert : .switch, to: &script)
        appendReleaseDirectories(release, to: &script)
        script.append(contentsOf: [
            "[ -f \"$R/\(RemoteLayout.releaseMarkerFile)\" ] && [ ! -e \"$R/\(RemoteLayout.failedMarkerFile)\" ] "
                + "|| fail \(ShellQuote.quote("switch: release " + release.rawValue + " is not complete on this host")) 1",
        ])
        script.append(contentsOf: currentRelease(link: "\"$D/current\"", releases: "\"$D\"/releases"))
        script.append(contentsOf: [
            // Until this run's finish step records it, the host runs its new release unfinished (`HostFacts.runsFinished`):
            // emptied by the shell (no process), a link there left alone (the probe ignores one).
            "[ -L \"$D/\(RemoteLayout.finishedFile)\" ] || [ ! -s \"$D/\(RemoteLayout.finishedFile)\" ] || : >\"$D/\(RemoteLayout.finishedFile)\"",
            "ln -sfn releases/\(id) \(temporary) && mv -T \(temporary) \"$D/current\" || { rm -f \(temporary); fail switch 1; }",
            "m switched \"$c\" \(id)",
            "[ ! -e \"$R/\(RemoteLayout.rolledBackFile)\" ] || rm -f \"$R/\(RemoteLayout.rolledBackFile)\"",
        ])
        if kind != .revert {
            script.append("if [ -n \"$c\" ] && [ \"$c\" != \(id) ]; then printf '%s\\n' \"$c\" >\"$R/\(RemoteLayout.previousFile)\"; "
                + "elif [ -z \"$c\" ] && [ -e \"$R/\(RemoteLayout.previousFile)\" ]; then rm -f \"$R/\(RemoteLayout.previousFile)\"; fi")
        }
        if kind == .rollback {
            script.append("[ -n \"$c\" ] && [ \"$c\" != \(id) ] && [ -d \"$D/releases/$c\" ] && : >\"$D/releases/$c/\(RemoteLayout.rolledBackFile)\"")
        }
        script.append("[ -d \"$L\" ] || mkdir -p \"$L\" || fail switch 1")
        for group in tasks { appendTasks(group.tasks, phase: group.phase, to: &script) }
    }

    /// Removes `current`, taking the host back to having no release (see
    /// `RolloutScript.release`), and reports `unswitched FROM`.
    static func appendRemoveCurrent(to script: inout ShellScript) {
        script.append(contentsOf: [
            "p=$(readlink \"$D/current\" 2>/dev/null) || p=''",
            "rm -f \"$D/current\" || fail switch 1",
            "m unswitched \"${p##*/}\"",
        ])
    }
}
