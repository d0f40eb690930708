import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// Host key verification against real sshd hosts: strict by default, accept-new, changed keys.
    @Suite("SSH host key verification", .serialized)
    struct SSHHostKeyTests {
        private func options(_ sandbox: TestSandbox, knownHosts: String) -> [String] {
            ["IdentityFile \(sandbox.ed25519Key)", "IdentitiesOnly yes", "UserKnownHostsFile \(knownHosts)", "GlobalKnownHostsFile \(sandbox.directory)/no_global_known_hosts"]
        }

        private func hostFingerprint(_ sandbox: TestSandbox) throws -> String {
            let line = try TestSandbox.shell(["ssh-keygen", "-lf", sandbox.directory + "/hosts/host1/ssh_host_ed25519_key.pub"])
            return String(line.split(separator: " ")[1])
        }

        @Test func unknownHostIsRefusedByDefaultAndRecordedWithAcceptNew() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let knownHosts = sandbox.directory + "/fresh/known_hosts"
                let fingerprint = try hostFingerprint(sandbox)
                await #expect {
                    try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .hostKeyUnknown && error.isUnreachable
                        && error.description.contains("[127.0.0.1]:\(port)") && error.description.contains("ssh-ed25519 \(fingerprint)")
                        && error.description.contains("--host-key-policy accept-new") && error.description.contains(knownHosts)
                }
                let accepted = try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts), policy: .acceptNew))
                await accepted.close()
                let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
                #expect(recorded.hasPrefix("[127.0.0.1]:\(port) ssh-ed25519 "))
                let strict = try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts)))
                let result = try await strict.exec("whoami")
                #expect(result.stdoutText == "deploy\n")
                await strict.close()
            }
        }

        /// A host known only through a `@cert-authority` line (its sshd presenting a certificate
        /// signed by that CA) is refused, under strict and accept-new alike, naming the line and the
        /// OpenSSH transport: libssh2 1.10 cannot verify host certificates, and trusting the plain
        /// key on first use would bypass the CA the user chose. Nothing is recorded.
        @Test func aHostKnownOnlyThroughACertificateAuthorityIsRefusedNamingTheLine() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let ca = sandbox.directory + "/host_ca"
                let hostKey = sandbox.directory + "/hosts/host1/ssh_host_ed25519_key"
                try TestSandbox.shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host CA", "-f", ca])
                try TestSandbox.shell(["ssh-keygen", "-q", "-s", ca, "-h", "-I", "host1", "-n", "127.0.0.1", hostKey + ".pub"])
                try await sandbox.reconfigure("host1", adding: ["HostCertificate \(hostKey)-cert.pub"])
                let knownHosts = sandbox.directory + "/ca/known_hosts"
                try FileManager.default.createDirectory(atPath: sandbox.directory + "/ca", withIntermediateDirectories: true)
                let caKey = try String(contentsOfFile: ca + ".pub", encoding: .utf8)
                try "@cert-authority [127.0.0.1]:\(port) \(caKey)".write(toFile: knownHosts, atomically: true, encoding: .utf8)
                for policy in [HostKeyPolicy.strict, .acceptNew] {
                    await #expect {
                        try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts), policy: policy))
                    } throws: { error in
                        let error = error as! SSHError
                        return error.kind == .hostKeyUnknown
                            && error.description.contains("@cert-authority at \(knownHosts):1")
                            && error.description.contains("transport: openssh")
                    }
                }
                #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == "@cert-authority [127.0.0.1]:\(port) \(caKey)")
            }
        }

        @Test func acceptNewHonoursHashKnownHostsAndParallelSessionsRecordTheHostOnce() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let knownHosts = sandbox.directory + "/hashed/known_hosts"
                let target = try sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts) + ["HashKnownHosts yes"],
                                                policy: .acceptNew)
                // Eight sessions that all find the host unknown, as eight runs started together would.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        group.addTask { await (try SSHConnection.connect(to: target)).close() }
                    }
                    try await group.waitForAll()
                }
                let lines = try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 1)
                #expect(lines.allSatisfy { $0.hasPrefix("|1|") && !$0.contains("127.0.0.1") })
                let found = try TestSandbox.shell(["ssh-keygen", "-F", "[127.0.0.1]:\(port)", "-f", knownHosts])
                #expect(found.contains("ssh-ed25519"))
            }
        }

        @Test func changedHostKeyIsRefusedEvenWithAcceptNew() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let impostor = sandbox.directory + "/impostor"
                try TestSandbox.shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", impostor])
                let impostorKey = try String(contentsOfFile: impostor + ".pub", encoding: .utf8).split(separator: " ")[1]
                let knownHosts = sandbox.directory + "/changed_known_hosts"
                try "[127.0.0.1]:\(port) ssh-ed25519 \(impostorKey)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
                for policy in [HostKeyPolicy.strict, .acceptNew] {
                    await #expect {
                        try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts), policy: policy))
                    } throws: { error in
                        let error = error as! SSHError
                        return error.kind == .hostKeyChanged
                            && error.description.contains("HOST KEY CHANGED")
                            && error.description.contains("ssh-keygen -R '[127.0.0.1]:\(port)' -f \(knownHosts)")
                    }
                }
            }
        }

        @Test func hostKnownOnlyByItsECDSAKeyNegotiatesThatKey() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let ecdsa = try String(contentsOfFile: sandbox.directory + "/hosts/host1/ssh_host_ecdsa_key.pub", encoding: .utf8).split(separator: " ")
                let knownHosts = sandbox.directory + "/ecdsa_known_hosts"
                try "[127.0.0.1]:\(port) \(ecdsa[0]) \(ecdsa[1])\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
                let connection = try await SSHConnection.connect(to: sandbox.target(port: port, options: options(sandbox, knownHosts: knownHosts)))
                let result = try await connection.exec("true")
                #expect(result.succeeded)
                await connection.close()
            }
        }
    }
}
