import DeployerExecution
import Foundation

extension Sandbox {
    /// Runs `command` with `sh -c` as root in `host`'s filesystem view; throws when it fails.
    @discardableResult
    func root(_ host: String, _ command: String) async throws -> String {
        let output = try await ProcessRunner.run(Sandbox.repository + "/Scripts/sandbox",
                                                 ["exec", host, "--dir", directory, "--", "sh", "-c", command])
        guard output.status == 0 else {
            throw SandboxError("\(host): \(command): " + String(decoding: output.stderr, as: UTF8.self))
        }
        return String(decoding: output.stdout, as: UTF8.self)
    }

    /// Kills every process below `host`'s sshd (its sessions and their commands), by process id:
    /// the connections drop, sshd keeps listening.
    func dropConnections(_ host: String) async throws {
        try await signalSessions(host, "KILL")
    }

    /// Sends `signal` (`STOP`, `CONT`, `KILL`) to every process below `host`'s sshd, by process id:
    /// `STOP` makes the host stop answering on the connections it has (TCP stays up, nothing is
    /// reset) while it still accepts new ones.
    func signalSessions(_ host: String, _ signal: String) async throws {
        let pid = try listenerPID(host)
        let script = """
            tree() { for child in $(ps -o pid= --ppid "$1"); do tree "$child"; done; echo "$1"; }
            kill -\(signal) $(tree \(pid) | grep -vx \(pid)) 2>/dev/null; true
            """
        _ = try await ProcessRunner.run("/bin/sh", ["-c", script])
    }

    /// Waits until `host` runs nothing but its listening sshd (a dead controller's command has run
    /// to its end there). Sessions' processes are looked for by the host's mount namespace, not as
    /// children of sshd: when the controller dies sshd's connection process exits at once and the
    /// script it started runs on, reparented (waiting for sshd's children alone let a test read
    /// the host before that script took its lock).
    func waitUntilIdle(_ host: String) async throws {
        let pid = try listenerPID(host)
        let script = """
            ns=$(readlink /proc/\(pid)/ns/mnt) || exit 0
            for p in /proc/[0-9]*; do
              [ "${p#/proc/}" = \(pid) ] && continue
              [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && exit 1
            done
            exit 0
            """
        try await waitFor {
            try await ProcessRunner.run("/bin/sh", ["-c", script]).status == 0
        }
    }

    /// The process id of `host`'s listening sshd, from its pid file.
    func listenerPID(_ host: String) throws -> String {
        try String(contentsOfFile: directory + "/hosts/" + host + "/sshd.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts the hosts whose sshd was stopped again, on their ports, with their files (`sandbox up`).
    func restartStopped() async throws {
        let up = try await ProcessRunner.run(Sandbox.repository + "/Scripts/sandbox", ["up", String(hosts.count), "--dir", directory])
        guard up.status == 0 else { throw SandboxError("sandbox up failed: " + String(decoding: up.stderr, as: UTF8.self)) }
    }
}
