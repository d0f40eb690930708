import Foundation
import Testing
@testable import SSH
#if canImport(Glibc)
import Glibc
#endif

extension SandboxSuites {
    /// ProxyCommand through a real bastion: `ssh -W` on sandbox host1 carries the session to
    /// host2, whose HostName does not even resolve here, so the bytes can only have gone through it.
    @Suite("SSH through a ProxyCommand", .serialized)
    struct SSHProxyCommandTests {
        /// A target for host2 behind `proxyCommand`, named `host2.internal` (known_hosts has its key
        /// under that name and its port).
        private func hiddenHost2(_ sandbox: TestSandbox, proxyCommand: String) throws -> SSHTarget {
            let port = sandbox.hosts[1].port
            let knownHosts = try String(contentsOfFile: sandbox.knownHostsPath, encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("[127.0.0.1]:\(port) ") }
                .map { $0.replacingOccurrences(of: "[127.0.0.1]", with: "[host2.internal]") }
            let hiddenKnownHosts = sandbox.directory + "/known_hosts_hidden"
            try (knownHosts.joined(separator: "\n") + "\n").write(toFile: hiddenKnownHosts, atomically: true, encoding: .utf8)
            let prefix = "Host host2\n  HostName host2.internal\n  UserKnownHostsFile \(hiddenKnownHosts)\n  ProxyCommand \(proxyCommand)\n"
            let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
            let config = try SSHConfig(text: prefix + text, path: sandbox.directory + "/proxy_config")
            return SSHTarget.resolve("host2", config: config, policy: nil, environment: sandbox.environment)
        }

        @Test func sessionGoesThroughTheBastionAndTheCommandEndsWithIt() async throws {
            try await TestSandbox.with(hosts: 2) { sandbox in
                let record = sandbox.directory + "/proxy-record"
                let bastion = "ssh -F \(sandbox.sshConfigPath) -o BatchMode=yes -W 127.0.0.1:%p host1"
                let target = try hiddenHost2(sandbox, proxyCommand: "sh -c 'echo \"$$ %h %p %r %n %%\" > \(record); exec \(bastion)'")
                let connection = try await SSHConnection.connect(to: target)
                let result = try await connection.exec("cat; echo; echo $SSH_CONNECTION", stdin: Array("through the bastion".utf8))
                #expect(result.stdoutText.hasPrefix("through the bastion\n"))
                #expect(result.stdoutText.hasSuffix(" \(sandbox.hosts[1].port)\n"))

                let fields = try String(contentsOfFile: record, encoding: .utf8).split(separator: " ").map(String.init)
                #expect(Array(fields.dropFirst()) == ["host2.internal", String(sandbox.hosts[1].port), "deploy", "host2", "%\n"])
                let bastionLog = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
                #expect(bastionLog.contains("Accepted publickey for deploy"))

                await connection.close()
                // Killed and reaped: not even a zombie is left.
                let pid = try #require(pid_t(fields[0]))
                #expect(kill(pid, 0) == -1 && errno == ESRCH)
            }
        }

        @Test func aFailingCommandIsReportedWithItsStandardError() async throws {
            try await TestSandbox.with(hosts: 2) { sandbox in
                let target = try hiddenHost2(sandbox, proxyCommand: "sh -c 'echo \"bastion: no route to %h\" >&2; exit 3'")
                await #expect {
                    try await SSHConnection.connect(to: target)
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .unreachable && error.isUnreachable
                        && error.description.contains("ended before the SSH banner")
                        && error.description.contains("exited with status 3")
                        && error.description.contains("bastion: no route to host2.internal")
                        // Named once: it read "the ProxyCommand C ended before the SSH banner (through the ProxyCommand C); …".
                        && error.description.components(separatedBy: "echo \"bastion").count == 2
                }
            }
        }
    }
}
