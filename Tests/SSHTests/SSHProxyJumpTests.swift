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

        /// An open the jump host never answers (its connect to the target hangs) ends at the target's
        /// `ConnectTimeout`, and the error names that timeout, not the jump host's (it named host1's
        /// 30 s), and comes then (it came after 60 s).
        @Test func aTunnelThatNeverOpensTimesOutAfterTheTargetsConnectTimeout() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let silent = try SilentListener()
                defer { silent.close() }
                let behind = try target("ghost", sandbox, prefix: """
                    Host host1
                      ConnectTimeout 30
                    Host ghost
                      HostName 127.0.0.1
                      Port \(silent.port)
                      ProxyJump host1
                      ConnectTimeout 2
                    """)
                let started = ContinuousClock.now
                await #expect {
                    try await SSHConnection.connect(to: behind)
                } throws: { error in
                    guard let error = error as? SSHError else { return false }
                    return error.kind == .unreachable && error.host == "ghost"
                        && error.message == "through jump host host1: no forwarded connection to 127.0.0.1:\(silent.port) within 2.0 seconds"
                }
                // Not when the jump host's sshd gives up its connect (60 s here): closing the jump
                // host's session waited for that open, long after its asker had given up.
                #expect(ContinuousClock.now - started < .seconds(30))
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

/// A TCP port on 127.0.0.1 that never completes another connection: it listens with the smallest
/// backlog, never accepts, and its queue is filled at once, so the kernel drops further SYNs and a
/// connect to it hangs until its caller gives up.
struct SilentListener {
    let port: Int
    private let sockets: [Int32]

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        var fillers: [Int32] = []
        for _ in 0..<3 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
            fillers.append(filler)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        sockets = [listener] + fillers
    }

    func close() { for socket in sockets { _ = Glibc.close(socket) } }
}
