import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// ssh_config's `ConnectionAttempts`: a host whose sshd is not up yet (a host rebooting, a
    /// service restarting) is tried again a second later, as ssh does; deployer listed it as
    /// irrelevant and connected once.
    @Suite("SSH ConnectionAttempts")
    struct SSHConnectionAttemptsTests {
        private func target(_ sandbox: TestSandbox, attempts: Int) throws -> SSHTarget {
            let text = try String(contentsOfFile: sandbox.sshConfigPath, encoding: .utf8)
            let config = try SSHConfig(text: "Host host1\n  ConnectionAttempts \(attempts)\n" + text, path: sandbox.directory + "/attempts_config")
            return SSHTarget.resolve("host1", config: config, policy: nil, environment: sandbox.environment)
        }

        @Test func aHostWhoseSSHDComesUpLateIsReachedWithinItsAttempts() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let host = sandbox.directory + "/hosts/host1"
                let pid = try #require(Int32(try String(contentsOfFile: host + "/sshd.pid", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0 > 1 ? $0 : nil })
                kill(pid, SIGTERM)
                // Gone, or a zombie nobody reaps (PID 1 of a container may not): either way not listening.
                for _ in 0..<250 {
                    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ") else { break }
                    try await Task.sleep(for: .milliseconds(20))
                }

                await #expect {
                    try await SSHConnection.connect(to: try target(sandbox, attempts: 2))
                } throws: { error in
                    guard let error = error as? SSHError else { return false }
                    return error.kind == .unreachable && error.message.contains("Connection refused")
                        && error.message.hasSuffix("(2 attempts, ConnectionAttempts in ssh_config)")
                }

                // sshd comes back while the next connection is still trying (a second apart).
                let restart = Task.detached {
                    try await Task.sleep(for: .milliseconds(1500))
                    // As Scripts/sandbox starts it: in a mount namespace of its own, which `down` stops whole.
                    try TestSandbox.shell(["/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                                           "mount --bind \"$1\" /srv && exec /usr/sbin/sshd -f \"$2\" -E \"$3\"", "sh",
                                           host + "/srv", host + "/sshd_config", host + "/sshd.log"])
                }
                let connection = try await SSHConnection.connect(to: try target(sandbox, attempts: 10))
                try await restart.value
                let result = try await connection.exec("echo up")
                #expect(result.stdoutText == "up\n")
                await connection.close()
            }
        }
    }
}
