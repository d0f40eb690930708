import Foundation
import Synchronization
import Testing
@testable import SSH

extension SandboxSuites {
    /// Many hosts behind one bastion through `JumpHostSessions`: one session to the bastion,
    /// a direct-tcpip channel per host, traffic both ways at once, and the bastion's loss
    /// failing every host behind it with an error that names the bastion.
    @Suite("SSH hosts sharing one jump host", .serialized)
    struct SSHSharedJumpHostTests {
        private static let behind = 20

        /// Targets host2…host(N+1), each with `ProxyJump host1`.
        private func targets(_ sandbox: TestSandbox) throws -> [SSHTarget] {
            let aliases = sandbox.hosts.dropFirst().map(\.alias)
            let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
            let config = try SSHConfig(text: "Host \(aliases.joined(separator: " "))\n  ProxyJump host1\n\n" + text,
                                       path: sandbox.directory + "/bastion_config")
            return aliases.map { SSHTarget.resolve($0, config: config, policy: nil, environment: sandbox.environment) }
        }

        private func bastionLog(_ sandbox: TestSandbox) throws -> String {
            try String(contentsOfFile: "\(sandbox.directory)/hosts/host1/sshd.log", encoding: .utf8)
        }

        private func connectAll(_ targets: [SSHTarget], _ jumpHosts: JumpHostSessions) async throws -> [SSHConnection] {
            try await withThrowingTaskGroup(of: SSHConnection.self) { group in
                for target in targets { group.addTask { try await SSHConnection.connect(to: target, jumpHosts: jumpHosts) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }

        @Test func twentyHostsRideOneBastionSessionBothWaysAtOnce() async throws {
            try await TestSandbox.with(hosts: Self.behind + 1) { sandbox in
                let jumpHosts = JumpHostSessions()
                let connections = try await connectAll(try targets(sandbox), jumpHosts)
                let payload = sandbox.directory + "/payload"
                try Data((0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: URL(fileURLWithPath: payload))
                // Every host at once: 1.5 MB up (verified on the host) and 3 MB down, so the bastion's
                // socket fills and packets are half-sent while other channels want to send.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for connection in connections {
                        group.addTask {
                            let digest = try await connection.upload(localPath: payload, remotePath: "/srv/payload")
                            let received = Mutex(0)
                            let down = try await connection.exec("head -c 3000000 /dev/zero; echo $SSH_CONNECTION >&2",
                                                                 captureOutput: false) { chunk in
                                if case .stdout(let bytes) = chunk { received.withLock { $0 += bytes.count } }
                            }
                            #expect(down.exitStatus == 0 && received.withLock { $0 } == 3_000_000, "\(connection.target.name)")
                            let check = try await connection.exec("sha256sum /srv/payload")
                            #expect(check.stdoutText.hasPrefix(digest), "\(connection.target.name)")
                        }
                    }
                    try await group.waitForAll()
                }
                let log = try bastionLog(sandbox)
                #expect(log.components(separatedBy: "Accepted publickey for deploy").count - 1 == 1, "\(log)")
                for connection in connections { await connection.close() }

                // Closed by the last host: the bastion's session ends with them.
                try await waitUntil { try bastionLog(sandbox).contains("Disconnected from user deploy") }
            }
        }

        @Test func losingTheBastionFailsEveryHostBehindItNamingTheBastion() async throws {
            try await TestSandbox.with(hosts: 6) { sandbox in
                let connections = try await connectAll(try targets(sandbox), JumpHostSessions())
                let log = try bastionLog(sandbox)
                let child = try #require(log.split(whereSeparator: \.isNewline).last { $0.hasPrefix("User child is on pid ") }
                    .flatMap { Int32($0.split(separator: " ").last!) })
                kill(child, SIGKILL)
                for connection in connections {
                    await #expect {
                        try await connection.exec("sleep 1")
                    } throws: { error in
                        guard let error = error as? SSHError else { return false }
                        return error.kind == .disconnected && error.host == connection.target.name
                            && error.message.hasPrefix("the connection to jump host host1 broke")
                            && error.fix?.contains("check host1") == true
                    }
                }
                for connection in connections { await connection.close() }
            }
        }

        /// host3 and host4 behind `ProxyJump host1,host2`: one session to host2, itself through one to host1.
        @Test func aChainIsSharedHopByHop() async throws {
            try await TestSandbox.with(hosts: 4) { sandbox in
                let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
                let config = try SSHConfig(text: "Host host3 host4\n  ProxyJump host1,host2\n\n" + text,
                                           path: sandbox.directory + "/chain_config")
                let targets = ["host3", "host4"].map { SSHTarget.resolve($0, config: config, policy: nil, environment: sandbox.environment) }
                let connections = try await connectAll(targets, JumpHostSessions())
                for (connection, port) in zip(connections.sorted { $0.target.name < $1.target.name }, sandbox.hosts[2...].map(\.port)) {
                    #expect(try await connection.exec("echo $SSH_CONNECTION").stdoutText.hasSuffix(" \(port)\n"))
                }
                for hop in ["host1", "host2"] {
                    let log = try String(contentsOfFile: "\(sandbox.directory)/hosts/\(hop)/sshd.log", encoding: .utf8)
                    #expect(log.components(separatedBy: "Accepted publickey for deploy").count - 1 == 1, "\(hop): \(log)")
                }
                for connection in connections { await connection.close() }
            }
        }

        @Test func anUnreachableBastionFailsEveryHostBehindItNamingIt() async throws {
            try await TestSandbox.with(hosts: 4) { sandbox in
                let aliases = sandbox.hosts.dropFirst().map(\.alias)
                let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
                let config = try SSHConfig(text: "Host \(aliases.joined(separator: " "))\n  ProxyJump deploy@127.0.0.1:1\n\n" + text,
                                           path: sandbox.directory + "/bastion_config")
                let jumpHosts = JumpHostSessions()
                for alias in aliases {
                    let target = SSHTarget.resolve(alias, config: config, policy: nil, environment: sandbox.environment)
                    await #expect {
                        try await SSHConnection.connect(to: target, jumpHosts: jumpHosts)
                    } throws: { error in
                        guard let error = error as? SSHError else { return false }
                        return error.kind == .unreachable && error.host == alias
                            && error.message.hasPrefix("through jump host deploy@127.0.0.1:1: cannot connect to 127.0.0.1:1")
                    }
                }
            }
        }

        /// Polls `condition` every 50 ms for up to 5 s.
        private func waitUntil(_ condition: () throws -> Bool) async throws {
            for _ in 0..<100 {
                if try condition() { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("condition not met within 5 s")
        }
    }
}
