import Foundation
import Testing

/// Hosts behind one `ProxyJump` bastion ride one connection to it, a direct-tcpip channel each.
@Suite(.tags(.sandbox)) struct BastionTests {
    /// The sandbox's ssh_config with every host but host1 behind `ProxyJump host1`; its path.
    private func bastionConfig(_ sandbox: Sandbox) throws -> (path: String, hosts: [String]) {
        let hosts = Array(sandbox.hosts.dropFirst())
        let path = sandbox.directory + "/bastion_config"
        let base = try String(contentsOfFile: sandbox.sshConfig, encoding: .utf8)
        try ("Host \(hosts.joined(separator: " "))\n  ProxyJump host1\n\n" + base).write(toFile: path, atomically: true, encoding: .utf8)
        return (path, hosts)
    }

    private func bastionLog(_ sandbox: Sandbox) throws -> String {
        try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
    }

    /// Thirty hosts behind a bastion whose sshd has the stock `MaxStartups 10:30:100` and
    /// `MaxSessions 10`, thirty handshakes allowed at once: the push reaches every host, and the
    /// bastion's log shows one login and no refused connection (a connection per host made it
    /// drop some past its tenth starting connection).
    @Test func aPushToThirtyHostsBehindAStockBastionMakesOneConnectionToIt() async throws {
        try await Sandbox.with(hosts: 31) { sandbox in
            let (config, hosts) = try bastionConfig(sandbox)
            let app = try await AppRepository(hosts: hosts)
            defer { app.remove() }
            let push = await (try DeployerProcess(["push", "staging", "--max-startups", "30"], in: app.path, sshConfig: config)).wait()
            #expect(push.status == 0, "\(push.output)")
            let release = try #require(try await sandbox.current("host2"))
            for host in hosts { #expect(try await sandbox.current(host) == release, "\(host)") }
            let log = try bastionLog(sandbox)
            #expect(log.components(separatedBy: "Accepted publickey for deploy").count - 1 == 1, "\(log)")
            #expect(!log.contains("MaxStartups") && !log.contains("drop connection"), "\(log)")
        }
    }

    /// The bastion's sshd killed while every host behind it prepares: every one of them fails
    /// with an error naming the bastion, the push exits 4 (unreachable) and no host switched.
    @Test func losingTheBastionMidPushFailsEveryHostBehindItAndSwitchesNone() async throws {
        try await Sandbox.with(hosts: 7) { sandbox in
            let (config, hosts) = try bastionConfig(sandbox)
            let app = try await AppRepository(hosts: hosts, tasks: """
                  slow:
                    phase: prepare
                    run: "touch /srv/preparing; sleep 4"
                """)
            defer { app.remove() }
            let process = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: config)
            for host in hosts { try await waitFor { try await sandbox.exists(host, "/srv/preparing") } }
            try await sandbox.killSSHD("host1")
            let run = await process.wait()
            #expect(run.status == 4, "\(run.output)")
            let lines = run.output.split(separator: "\n")
            for host in hosts {
                #expect(lines.contains { $0.contains(" \(host): prepare failed: the connection to jump host host1 broke") },
                        "\(host): \(run.output)")
                #expect(try await sandbox.current(host) == nil, "\(host)")
            }
        }
    }
}
