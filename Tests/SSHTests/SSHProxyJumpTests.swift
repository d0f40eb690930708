import Foundation
import Synchronization
import Testing
@testable import SSH

extension SandboxSuites {
    /// ProxyJump through real sandbox hosts: the target's session runs over a direct-tcpip
    /// channel of the jump host's session, and the jump host's sshd log shows the forwarding.
    @Suite("SSH through ProxyJump hosts", .serialized)
    struct SSHProxyJumpTests {
        /// The sandbox's ssh_config with `prefix` first (ssh_config keeps the first value).
        private func config(_ sandbox: TestSandbox, prefix: String) throws -> SSHConfig {
            let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
            return try SSHConfig(text: prefix + "\n" + text, path: sandbox.directory + "/jump_config")
        }

        private func target(_ alias: String, _ sandbox: TestSandbox, prefix: String) throws -> SSHTarget {
            SSHTarget.resolve(alias, config: try config(sandbox, prefix: prefix), policy: nil, environment: sandbox.environment)
        }

        private func log(_ sandbox: TestSandbox, _ alias: String) throws -> String {
            try String(contentsOfFile: "\(sandbox.directory)/hosts/\(alias)/sshd.log", encoding: .utf8)
        }

        @Test func execAndUploadThroughOneHopAndAChain() async throws {
            try await TestSandbox.with(hosts: 3) { sandbox in
                let port = Dictionary(uniqueKeysWithValues: sandbox.hosts.map { ($0.alias, $0.port) })
                let prefix = "Host host2\n  ProxyJump host1\nHost host3\n  ProxyJump host1,host2\n"
                let viaOne = try target("host2", sandbox, prefix: prefix)
                let connection = try await SSHConnection.connect(to: viaOne)
                let result = try await connection.exec("cat; echo; echo $SSH_CONNECTION", stdin: Array("hello".utf8))
                #expect(result.exitStatus == 0)
                #expect(result.stdoutText.hasPrefix("hello\n"))
                #expect(result.stdoutText.hasSuffix(" \(port["host2"]!)\n"))

                let local = sandbox.directory + "/payload"
                let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                try Data(payload).write(to: URL(fileURLWithPath: local))
                let digest = try await connection.upload(localPath: local, remotePath: "/srv/payload")
                let check = try await connection.exec("sha256sum /srv/payload | cut -d' ' -f1; wc -c </srv/payload")
                #expect(check.stdoutText == "\(digest)\n3000000\n")
                // 20 MB out through the tunnel: ten times the channel window, so both buffers fill.
                let received = Mutex(0)
                let big = try await connection.exec("head -c 20000000 /dev/zero", captureOutput: false) { chunk in
                    if case .stdout(let bytes) = chunk { received.withLock { $0 += bytes.count } }
                }
                #expect(big.exitStatus == 0 && received.withLock { $0 } == 20_000_000)

                // Only the tunnel logs into host1, and the bytes really flow through it: ending
                // host1's session process breaks the session to host2.
                let host1Log = try log(sandbox, "host1")
                #expect(host1Log.contains("Accepted publickey for deploy"))
                let child = try #require(host1Log.split(whereSeparator: \.isNewline).last { $0.hasPrefix("User child is on pid ") }
                    .flatMap { Int32($0.split(separator: " ").last!) })
                kill(child, SIGTERM)
                await #expect(throws: SSHError.self) { try await connection.exec("true") }
                await connection.close()

                let chained = try await SSHConnection.connect(to: try target("host3", sandbox, prefix: prefix))
                let hostname = try await chained.exec("echo $SSH_CONNECTION")
                #expect(hostname.stdoutText.hasSuffix(" \(port["host3"]!)\n"))
                await chained.close()
                #expect(try log(sandbox, "host2").contains("Accepted publickey for deploy"))
            }
        }

        @Test func jumpHostDownIsAnErrorNamingTheHop() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let behind = try target("host1", sandbox, prefix: "Host host1\n  ProxyJump deploy@127.0.0.1:1\n")
                await #expect {
                    try await SSHConnection.connect(to: behind)
                } throws: { error in
                    guard let error = error as? SSHError else { return false }
                    return error.kind == .unreachable && error.host == "host1"
                        && error.message.hasPrefix("through jump host deploy@127.0.0.1:1: cannot connect to 127.0.0.1:1")
                }
            }
        }

        @Test func unknownTargetKeyThroughTheJumpIsRefused() async throws {
            try await TestSandbox.with(hosts: 2) { sandbox in
                // host2 trusts only a file that knows host1: its own key is unknown there.
                let partial = sandbox.directory + "/known_hosts_host1_only"
                let host1Port = sandbox.hosts[0].port
                let lines = try String(contentsOfFile: sandbox.knownHostsPath, encoding: .utf8)
                    .split(separator: "\n").filter { $0.hasPrefix("[127.0.0.1]:\(host1Port) ") }
                try (lines.joined(separator: "\n") + "\n").write(toFile: partial, atomically: true, encoding: .utf8)
                let behind = try target("host2", sandbox, prefix: "Host host2\n  ProxyJump host1\n  UserKnownHostsFile \(partial)\n")
                await #expect {
                    try await SSHConnection.connect(to: behind)
                } throws: { error in
                    guard let error = error as? SSHError else { return false }
                    return error.kind == .hostKeyUnknown && error.host == "host2"
                        && error.message.contains("[127.0.0.1]:\(sandbox.hosts[1].port)")
                }
            }
        }
    }
}
