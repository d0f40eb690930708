import Foundation

/// An sshd in a network namespace of its own, reached over a veth pair whose link the test can
/// cut mid-session. Uses 10.250.77.0/30 only; `remove()` deletes the namespace and the pair.
struct CutLink {
    static let hostAddress = "10.250.77.2"
    static let localAddress = "10.250.77.1"
    let name: String
    let outside: String
    let directory: String
    /// known_hosts naming the namespace's address with the sandbox host key.
    var knownHosts: String { directory + "/known_hosts" }

    /// Creates the namespace and the veth pair, and starts sshd inside with host1's keys and config.
    static func start(sandbox: TestSandbox) throws -> CutLink {
        let suffix = String(UUID().uuidString.prefix(4)).lowercased()
        let link = CutLink(name: "dplh2-\(suffix)", outside: "vh2o\(suffix)", directory: sandbox.directory + "/netns")
        try FileManager.default.createDirectory(atPath: link.directory, withIntermediateDirectories: true)
        let inside = "vh2i\(suffix)"
        do {
            for command in [
                ["ip", "netns", "add", link.name],
                ["ip", "link", "add", link.outside, "type", "veth", "peer", "name", inside],
                ["ip", "link", "set", inside, "netns", link.name],
                ["ip", "addr", "add", localAddress + "/30", "dev", link.outside],
                ["ip", "link", "set", link.outside, "up"],
                ["ip", "netns", "exec", link.name, "ip", "addr", "add", hostAddress + "/30", "dev", inside],
                ["ip", "netns", "exec", link.name, "ip", "link", "set", inside, "up"],
                ["ip", "netns", "exec", link.name, "ip", "link", "set", "lo", "up"],
            ] { try TestSandbox.shell(command) }
            let host = sandbox.directory + "/hosts/host1"
            let config = try String(contentsOfFile: host + "/sshd_config", encoding: .utf8)
                .split(separator: "\n")
                .filter { !$0.hasPrefix("ListenAddress") && !$0.hasPrefix("Port") && !$0.hasPrefix("PidFile") }
                .joined(separator: "\n")
                + "\nListenAddress \(hostAddress)\nPort 22\nPidFile \(link.directory)/sshd.pid\n"
            try config.write(toFile: link.directory + "/sshd_config", atomically: true, encoding: .utf8)
            try TestSandbox.shell(["ip", "netns", "exec", link.name, "/usr/sbin/sshd", "-f", link.directory + "/sshd_config", "-E", link.directory + "/sshd.log"])
            let key = try String(contentsOfFile: host + "/ssh_host_ed25519_key.pub", encoding: .utf8).split(separator: " ")
            try "\(hostAddress) \(key[0]) \(key[1])\n".write(toFile: link.knownHosts, atomically: true, encoding: .utf8)
        } catch {
            link.remove()
            throw error
        }
        return link
    }

    /// Takes the link down: packets stop flowing both ways, nothing is reset.
    func cut() throws {
        try TestSandbox.shell(["ip", "link", "set", outside, "down"])
    }

    /// Stops sshd and everything else in the namespace, then deletes it and the veth pair.
    func remove() {
        let pids = (try? TestSandbox.shell(["ip", "netns", "pids", name])) ?? ""
        for pid in pids.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        _ = try? TestSandbox.shell(["ip", "link", "del", outside])
        _ = try? TestSandbox.shell(["ip", "netns", "del", name])
    }
}
