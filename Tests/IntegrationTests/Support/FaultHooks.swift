import Foundation

/// The host side of fault injection: `/srv/fault/hook PHASE`, called at each
/// `FaultPhase` (outside `deploy_to`, so no fault of `deploy_to` breaks it),
/// and wrappers around the commands deployer's scripts run at the phases no
/// task reaches, bind-mounted over `/usr/local/bin` (first in sshd's PATH) in
/// that host's mount namespace only.
///
/// The test arms a phase by writing `PHASE.armed` (`wait` or `hang`); the
/// hook fires once: it writes `PHASE.reached`, then waits for `PHASE.go`
/// (at most 30 s), or with `hang` sleeps past any timeout.
enum FaultHooks {
    static let hook = """
        #!/bin/sh
        f=/srv/fault/$1
        [ -f "$f.armed" ] || exit 0
        read -r mode <"$f.armed"
        /usr/bin/rm -f "$f.armed"
        : >"$f.reached"
        [ "$mode" = hang ] && exec /usr/bin/sleep 30
        i=0
        while [ ! -e "$f.go" ] && [ $i -lt 600 ]; do /usr/bin/sleep 0.05; i=$((i + 1)); done

        """

    /// Wrapper scripts by command name: each calls the hook of its phase when the
    /// arguments are the ones deployer's script uses there, then runs the real command.
    static let wrappers: [String: String] = [
        "mkdir": #"if [ $# -eq 1 ]; then case $1 in */.deployer/lock) /srv/fault/hook lock ;; esac; fi"#,
        // The artifact arriving ahead of the prepare script (`head -c N >TEMP`): 2 KB, the hook, the rest.
        "head": #"""
            if [ "${1:-}" = -c ] && [ $# -eq 2 ] && [ "$2" -gt 2048 ]; then
              case $(/usr/bin/readlink /proc/$$/fd/1) in
                *.deployer-upload.*) /usr/bin/head -c 2048; /srv/fault/hook upload; exec /usr/bin/head -c $(($2 - 2048)) ;;
              esac
            fi
            """#,
        "tar": "/srv/fault/hook extract",
        "mv": #"[ "${1:-}" = -T ] && /srv/fault/hook switch"#,
        // The prune's `rm -rf DEPLOY_TO/releases/ID`.
        "rm": #"""
            if [ "${1:-}" = -rf ] && [ $# -eq 2 ]; then
              case $2 in */releases/*/*) ;; */releases/*) /srv/fault/hook finish ;; esac
            fi
            """#,
    ]

    /// `host`'s `/srv/fault`, seen from outside its mount namespace.
    static func directory(_ host: String, in sandbox: Sandbox) -> String {
        sandbox.directory + "/hosts/" + host + "/srv/fault"
    }

    /// Writes the hook and the wrappers for `host` and mounts the wrappers over its `/usr/local/bin`.
    static func install(on host: String, in sandbox: Sandbox) async throws {
        let directory = directory(host, in: sandbox)
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
        try write(hook, to: directory + "/hook")
        for (command, body) in wrappers {
            try write("#!/bin/sh\n" + body + "\nexec /usr/bin/\(command) \"$@\"\n", to: directory + "/bin/" + command)
        }
        try await sandbox.exec(host, "mount --bind /srv/fault/bin /usr/local/bin")
    }

    private static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}
