import DeployerModel
import DeployerPlanning

/// The scripts sent to hosts, one per step (DESIGN.md, "A push, in phases").
/// Pure functions of their inputs: unit-tested as text and by running them
/// locally, never assembled anywhere else.
public enum HostScripts {
    /// Read-only: reports `current`, every release with its state and marker,
    /// the lock, the artifacts and the complete environments present.
    public static func probe(deployTo: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendProbe(to: &script)
        return script
    }

    static func appendProbe(to script: inout ShellScript) {
        script.append(contentsOf: [
            "if cd \"$D\" 2>/dev/null; then",
            "  c=$(readlink current 2>/dev/null) && m current \"${c##*/}\"",
            "  for r in releases/*/; do",
            // A release replaced by a symbolic link is no release: never switched to, never pruned.
            "    [ -d \"$r\" ] && [ ! -L \"${r%/}\" ] || continue; id=${r%/}; id=${id##*/}",
            "    if [ -e \"$r\(RemoteLayout.failedMarkerFile)\" ]; then m release \"$id\" failed",
            "    elif [ -f \"$r\(RemoteLayout.releaseMarkerFile)\" ]; then m release \"$id\" good",
            "    else m release \"$id\" incomplete; fi",
            "  done",
            "  set -- releases/*/\(RemoteLayout.releaseMarkerFile)",
            "  [ -f \"$1\" ] && awk '{ n = split(FILENAME, p, \"/\"); print \"::deployer marker \" p[n - 1] \" \" $0 }' \"$@\"",
            "  if [ -d .deployer/lock ]; then",
            "    hb=$(cat .deployer/lock/heartbeat 2>/dev/null) || hb=$(stat -c %Y .deployer/lock)",
            "    m lock-age $(( $(date +%s) - hb ))",
            "    [ -f .deployer/lock/info.json ] && m lock-info \"$(cat .deployer/lock/info.json)\"",
            "  fi",
            "  for a in .deployer/artifacts/*.tar.gz; do [ -f \"$a\" ] && { a=${a##*/}; m artifact \"${a%.tar.gz}\"; }; done",
            "  for e in envs/.*.complete; do [ -f \"$e\" ] && { e=${e##*/.}; m env-present \"${e%.complete}\"; }; done",
            "fi",
            "true",
        ])
    }
}
