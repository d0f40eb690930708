import DeployerExecution
import Foundation

/// A sandbox host reached through a network namespace of its own: a second
/// sshd for it, in its mount namespace (same files) and in a namespace behind
/// a veth pair whose inner end the test takes down, so packets vanish (a
/// permanent neighbour entry keeps the kernel from answering "no route").
/// Uses one 10.250.X.0/30 (X from 128 to 255, drawn at random so that a namespace left by a
/// crashed run cannot answer); `remove()` stops that sshd and deletes the namespace and the pair.
struct NetworkCutHost: Sendable {
    let address: String
    let localAddress: String
    let host: String
    let sandbox: Sandbox
    let namespace: String
    let outside: String
    let inside: String

    private var files: String { sandbox.directory + "/hosts/" + host + "/netns" }

    /// Creates the namespace, starts the host's second sshd inside it and points the host's alias at it.
    static func start(_ host: String, in sandbox: Sandbox) async throws -> NetworkCutHost {
        let suffix = String(UUID().uuidString.prefix(6)).lowercased()
        let subnet = "10.250.\(Int.random(in: 128...255))."
        let link = NetworkCutHost(address: subnet + "2", localAddress: subnet + "1", host: host, sandbox: sandbox,
                                  namespace: "dpfm-" + suffix, outside: "vfo" + suffix, inside: "vfi" + suffix)
        do {
            try await link.create()
        } catch {
            link.remove()
            throw error
        }
        return link
    }

    private func create() async throws {
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        let inNamespace = ["ip", "netns", "exec", namespace]
        for command in [
            ["ip", "netns", "add", namespace],
            ["ip", "link", "add", outside, "type", "veth", "peer", "name", inside],
            ["ip", "link", "set", inside, "netns", namespace],
            ["ip", "addr", "add", localAddress + "/30", "dev", outside],
            ["ip", "link", "set", outside, "up"],
            inNamespace + ["ip", "addr", "add", address + "/30", "dev", inside],
            inNamespace + ["ip", "link", "set", inside, "up"],
            inNamespace + ["ip", "link", "set", "lo", "up"],
        ] { try await Self.run(command) }
        let mac = try await Self.run(inNamespace + ["cat", "/sys/class/net/\(inside)/address"])
        try await Self.run(["ip", "neigh", "replace", address, "lladdr", mac, "dev", outside, "nud", "permanent"])
        let hostFiles = sandbox.directory + "/hosts/" + host
        let config = try String(contentsOfFile: hostFiles + "/sshd_config", encoding: .utf8)
            .split(separator: "\n")
            .filter { !$0.hasPrefix("ListenAddress") && !$0.hasPrefix("Port") && !$0.hasPrefix("PidFile") }
            .joined(separator: "\n") + "\nListenAddress \(address)\nPort 22\nPidFile \(files)/sshd.pid\n"
        try config.write(toFile: files + "/sshd_config", atomically: true, encoding: .utf8)
        try await Self.run(["nsenter", "--target", try sandbox.listenerPID(host), "--mount", "--net=/run/netns/" + namespace,
                            "--", "/usr/sbin/sshd", "-f", files + "/sshd_config", "-E", files + "/sshd.log"])
        try pointAlias()
    }

    /// Makes the host's alias reach it through the namespace (ssh_config keeps the first value, so a
    /// block put first wins), with keepalives that notice silence in seconds. Again after `sandbox up`.
    func pointAlias() throws {
        let configPath = sandbox.sshConfig
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        let block = "Host \(host)\n  HostName \(address)\n  Port 22\n  ConnectTimeout 2\n"
            + "  ServerAliveInterval 2\n  ServerAliveCountMax 1\n\n"
        if !config.hasPrefix(block) { try (block + config).write(toFile: configPath, atomically: true, encoding: .utf8) }
        let knownHosts = sandbox.directory + "/known_hosts"
        let known = try String(contentsOfFile: knownHosts, encoding: .utf8)
        let key = try String(contentsOfFile: sandbox.directory + "/hosts/\(host)/ssh_host_ed25519_key.pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let line = "\(address) \(key)\n"
        if !known.contains(line) { try (known + line).write(toFile: knownHosts, atomically: true, encoding: .utf8) }
    }

    /// Takes the inner end of the link down: packets stop flowing both ways, nothing is reset.
    func cut() async throws {
        try await Self.run(["ip", "netns", "exec", namespace, "ip", "link", "set", inside, "down"])
    }

    func restore() async throws {
        try await Self.run(["ip", "netns", "exec", namespace, "ip", "link", "set", inside, "up"])
    }

    /// Stops everything in the namespace (its sshd and sessions), then deletes it and the veth pair.
    /// Blocks the calling thread (it runs in a `defer`).
    func remove() {
        let script = "for pid in $(ip netns pids \(namespace)); do kill -KILL \"$pid\"; done; "
            + "ip link del \(outside); ip netns del \(namespace)"
        _ = try? ChildProcess("/bin/sh", ["-c", script], stdout: .null, stderr: .null).waitForExit()
    }

    @discardableResult
    private static func run(_ command: [String]) async throws -> String {
        let output = try await ProcessRunner.run("/usr/bin/env", command)
        guard output.status == 0 else {
            throw SandboxError(command.joined(separator: " ") + ": " + String(decoding: output.stderr, as: UTF8.self))
        }
        return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
