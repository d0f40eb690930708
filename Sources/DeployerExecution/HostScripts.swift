import DeployerModel
import DeployerPlanning

/// The scripts sent to hosts, one per step (DESIGN.md, "A push, in phases").
/// Pure functions of their inputs: unit-tested as text and by running them
/// locally, never assembled anywhere else.
public enum HostScripts {
    /// Read-only: reports `current`, every release with its state, marker, the release it followed
    /// and whether a rollback left it,
    /// the lock, the artifacts and the complete environments present, and the release whose run
    /// finished on this host (`.deployer/finished`, read only when it is a plain file).
    public static func probe(deployTo: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        appendProbe(to: &script)
        return script
    }

    /// `afterLock`: the probe ends a `lock` script, which sets `held` to its lease when it took the lock
    /// (reported without reading it back).
    static func appendProbe(to script: inout ShellScript, afterLock: Bool = false) {
        script.append("if cd \"$D\" 2>/dev/null; then")
        script.append(contentsOf: currentRelease(link: "current", releases: "releases").map { "  " + $0 })
        script.append(contentsOf: [
            "  [ $k = 1 ] && m current \"$c\"",
            "  for r in releases/*/; do",
            // A release replaced by a symbolic link is no release: never switched to, never pruned.
            "    [ -d \"$r\" ] && [ ! -L \"${r%/}\" ] || continue; id=${r%/}; id=${id##*/}",
            "    if [ -e \"$r\(RemoteLayout.failedMarkerFile)\" ]; then m release \"$id\" failed",
            "    elif [ -f \"$r\(RemoteLayout.releaseMarkerFile)\" ]; then m release \"$id\" good",
            "    else m release \"$id\" incomplete; fi",
            "    [ -e \"$r\(RemoteLayout.rolledBackFile)\" ] && m rolled-back \"$id\"",
            "    [ -f \"$r\(RemoteLayout.previousFile)\" ] && { pv=''; IFS= read -r pv <\"$r\(RemoteLayout.previousFile)\"; m previous \"$id\" \"$pv\"; }",
            "  done",
            // Every line of every marker (one line of JSON each), read by the shell: no process started.
            "  for f in releases/*/\(RemoteLayout.releaseMarkerFile); do",
            "    [ -f \"$f\" ] || continue; id=${f%/*}; id=${id##*/}",
            "    while IFS= read -r j || [ -n \"$j\" ]; do m marker \"$id\" \"$j\"; done <\"$f\"",
            "  done",
            (afterLock ? "  if [ -n \"$held\" ]; then m lock-age 0; m lock-info \"$held\"; el" : "  ")
                + "if [ -e .deployer/lock ] || [ -L .deployer/lock ]; then",
        ])
        script.append(contentsOf: readLockAge(lock: ".deployer/lock", defaultTTL: 0).map { "    " + $0 })
        script.append(contentsOf: [
            "    m lock-age $age",
            "    i=''; [ ! -L .deployer/lock ] && [ -f .deployer/lock/info.json ] && [ ! -L .deployer/lock/info.json ] "
                + "&& { IFS= read -r i <.deployer/lock/info.json; m lock-info \"$i\"; }",
            "  fi",
            "  for a in .deployer/artifacts/*.tar.gz; do [ -f \"$a\" ] && { a=${a##*/}; m artifact \"${a%.tar.gz}\"; }; done",
            "  for e in envs/.*.complete; do [ -f \"$e\" ] && { e=${e##*/.}; m env-present \"${e%.complete}\"; }; done",
            "  [ -f \(RemoteLayout.finishedFile) ] && [ -s \(RemoteLayout.finishedFile) ] && [ ! -L \(RemoteLayout.finishedFile) ] "
                + "&& { fin=''; IFS= read -r fin <\(RemoteLayout.finishedFile); m finished \"$fin\"; }",
            "fi",
            "true",
        ])
    }

    /// Sets `c` to the last part of `link`'s target (`current`: the release it points at) and `k` to 1
    /// when `link` is a symbolic link ('' and 0 otherwise), as `readlink` would, without starting it
    /// when the link leads to exactly one directory under `releases` that is no link itself (the
    /// target a deployer writes); `readlink` reads any other.
    static func currentRelease(link: String, releases: String) -> [String] {
        [
            "c=''; k=0",
            "if [ -L \(link) ]; then",
            "  k=1; n=0",
            "  for r in \(releases)/*/; do [ \(link) -ef \"$r\" ] && { c=${r%/}; n=$((n + 1)); }; done",
            "  if [ $n = 1 ] && [ ! -L \"$c\" ]; then c=${c##*/}; else c=$(readlink \(link) 2>/dev/null) && c=${c##*/} || k=0; fi",
            "fi",
        ]
    }
}
