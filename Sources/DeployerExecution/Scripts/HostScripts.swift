import DeployerModel
import DeployerPlanning

/// The scripts sent to hosts, one per step (DESIGN.md, "A push, in phases").
/// Pure functions of their inputs: unit-tested as text and by running them
/// locally, never assembled anywhere else.
public enum HostScripts {
    /// Read-only: reports `current`, every release with its state, marker, the release it followed
    /// and whether a rollback left it, the lock, the artifacts and the complete environments present,
    /// and the release whose run finished on this host (`Scripts/probe.sh`).
    public static func probe(deployTo: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendProbe(to: &script)
        return script
    }

    /// `Scripts/probe.sh`; at the end of a lock script it reports the lease that script took (`lock_lease`).
    static func appendProbe(to script: inout ShellScript) {
        script.append(template: HostScriptTemplate.probe)
    }
}
