import Foundation
import Synchronization
import Testing
@testable import SSH

extension SandboxSuites {
    /// ssh_config's Ciphers, MACs, KexAlgorithms and PubkeyAcceptedAlgorithms against sandbox
    /// hosts whose sshd offers a single cipher or MAC: the client's list decides what is offered,
    /// and a mismatch names what each side offered (these keywords used to be refused outright).
    @Suite("ssh_config algorithm lists", .serialized)
    struct SSHAlgorithmTests {
        private func usual(_ sandbox: TestSandbox) -> [String] {
            ["IdentityFile \(sandbox.ed25519Key)", "IdentitiesOnly yes", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
        }

        private func uname(_ target: SSHTarget) async throws -> String {
            let connection = try await SSHConnection.connect(to: target)
            let result = try await connection.exec("uname -s")
            await connection.close()
            return result.stdoutText
        }

        @Test func aMatchingListConnectsAndADisjointOneNamesWhatEachSideOffered() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["Ciphers aes256-ctr", "MACs hmac-sha2-512", "KexAlgorithms ecdh-sha2-nistp384"])
                let port = sandbox.hosts[0].port
                let matching = ["Ciphers aes256-ctr,aes128-ctr", "MACs hmac-sha2-512", "KexAlgorithms ^ecdh-sha2-nistp384"]
                #expect(try await uname(sandbox.target(port: port, options: usual(sandbox) + matching)) == "Linux\n")
                let config = "\(sandbox.directory)/test_config"
                await #expect {
                    try await uname(sandbox.target(port: port, options: usual(sandbox) + ["Ciphers aes128-ctr,aes192-ctr"]))
                } throws: { error in
                    let text = (error as! SSHError).description
                    return (error as! SSHError).kind == .unreachable
                        && text.contains("no common algorithms with 127.0.0.1:\(port)")
                        && text.contains("Ciphers: deployer offered aes128-ctr,aes192-ctr (\(config):8: Ciphers aes128-ctr,aes192-ctr)\n    NONE IN COMMON: the server offers aes256-ctr")
                        && text.contains("MACs: deployer offered hmac-sha2-256,hmac-sha2-512,hmac-sha1\n    the server offers hmac-sha2-512")
                        && text.contains("transport: openssh")
                }
            }
        }

        /// A server that offers only what libssh2 1.10 lacks (encrypt-then-MAC, AES-GCM): the
        /// default list fails naming the server's offer; a client list of only those is refused
        /// before connecting, naming its line and the OpenSSH transport.
        @Test func aListOnlyOpenSSHCanDoIsRefusedBeforeConnecting() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["MACs hmac-sha2-512-etm@openssh.com"])
                let port = sandbox.hosts[0].port
                await #expect {
                    try await uname(sandbox.target(port: port, options: usual(sandbox)))
                } throws: { error in
                    (error as! SSHError).description.contains("NONE IN COMMON: the server offers hmac-sha2-512-etm@openssh.com")
                }
                await #expect {
                    try await uname(sandbox.target(port: port, options: usual(sandbox) + ["MACs hmac-sha2-512-etm@openssh.com"]))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .local
                        && error.description.contains("\(sandbox.directory)/test_config:8: MACs hmac-sha2-512-etm@openssh.com (leaves no MAC that libssh2 1.10 supports; it has hmac-sha1, hmac-sha1-96, hmac-sha2-256,")
                        && error.description.contains("transport: openssh")
                }
            }
        }

        /// PubkeyAcceptedAlgorithms decides which RSA signatures are tried, and leaves out key types.
        @Test func pubkeyAcceptedAlgorithmsChoosesTheRSASignaturesAndLeavesOutKeys() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let key = try sandbox.makeKey("id_rsa", type: "rsa", authorize: true)
                let options = ["IdentityFile \(key)", "IdentitiesOnly yes", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
                var target = try sandbox.target(port: port, options: options + ["PubkeyAcceptedAlgorithms rsa-sha2-256,ssh-rsa"])
                let traced = Mutex<[String]>([])
                target.trace = { line in traced.withLock { $0.append(line) } }
                #expect(try await uname(target) == "Linux\n")
                #expect(traced.withLock { $0 }.filter { $0.contains("publickey RSA as ") }.map { $0.components(separatedBy: "publickey RSA as ")[1] }
                    == ["rsa-sha2-256: accepted"])
                await #expect {
                    try await uname(sandbox.target(port: port, options: options + ["PubkeyAcceptedAlgorithms ssh-ed25519"]))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed
                        && error.description.contains("\(key) (ssh-rsa): not offered: \(sandbox.directory)/test_config:8: PubkeyAcceptedAlgorithms ssh-ed25519 leaves out ssh-rsa")
                }
            }
        }
    }
}
