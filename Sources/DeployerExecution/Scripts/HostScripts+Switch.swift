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

    /// The switch and its tasks, appended to `script` (see `switch`; `Scripts/switchRelease.sh`).
    static func appendSwitch(to release: ReleaseID, kind: SwitchKind, runID: String,
                             tasks: [(phase: Phase, tasks: [ScriptTask])], to script: inout ShellScript) {
        script.append(template: HostScriptTemplate.switchRelease, values: [
            "release": release.rawValue, "switch_kind": kind.rawValue, "run_id": runID,
            "switch_step": (kind == .revert ? DeployStep.revert : .switch).rawValue,
        ])
        for group in tasks { appendTasks(group.tasks, phase: group.phase, to: &script) }
    }
}
