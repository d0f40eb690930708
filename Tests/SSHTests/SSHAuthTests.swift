import DeployerExecution
import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// Authentication against real sshd hosts: key files, passphrases, RSA, wrong keys, ssh-agent.
    @Suite("SSH authentication", .serialized)
    struct SSHAuthTests {
        private func options(_ sandbox: TestSandbox, identity: String, identitiesOnly: Bool = true) -> [String] {
            ["IdentityFile \(identity)", "IdentitiesOnly \(identitiesOnly ? "yes" : "no")", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
        }

        /// A new key pair in the sandbox directory, authorized on the hosts when asked.
        private func makeKey(_ sandbox: TestSandbox, _ name: String, type: String = "ed25519", passphrase: String = "", authorize: Bool) throws -> String {
            let path = sandbox.directory + "/" + name
            try TestSandbox.shell(["ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", path])
            if authorize {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: sandbox.authorizedKeysPath))
                handle.seekToEndOfFile()
                handle.write(try Data(contentsOf: URL(fileURLWithPath: path + ".pub")))
                handle.closeFile()
            }
            return path
        }

        private func whoami(_ target: SSHTarget) async throws -> String {
            let connection = try await SSHConnection.connect(to: target)
            let result = try await connection.exec("whoami")
            await connection.close()
            return result.stdoutText
        }

        @Test func ed25519AndECDSAKeyFiles() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                for key in [sandbox.ed25519Key, sandbox.ecdsaKey] {
                    let user = try await whoami(sandbox.target(port: port, options: options(sandbox, identity: key)))
                    #expect(user == "deploy\n")
                }
            }
        }

        @Test func encryptedKeyNeedsThePassphraseFromTheEnvironment() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let key = try makeKey(sandbox, "id_encrypted", passphrase: "correct horse", authorize: true)
                await #expect {
                    try await whoami(sandbox.target(port: port, options: options(sandbox, identity: key)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed && error.description.contains("DEPLOYER_SSH_PASSPHRASE") && error.description.contains(key)
                }
                let target = try sandbox.target(port: port, options: options(sandbox, identity: key), environment: ["DEPLOYER_SSH_PASSPHRASE": "correct horse"])
                let user = try await whoami(target)
                #expect(user == "deploy\n")
            }
        }

        @Test func rsaKeyGetsThePlainExplanation() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try makeKey(sandbox, "id_rsa", type: "rsa", authorize: true)
                await #expect {
                    try await whoami(sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed && error.description.contains("ssh-rsa (SHA-1)")
                        && error.description.contains("ssh-keygen -t ed25519") && error.description.contains(key + " (ssh-rsa)")
                }
            }
        }

        @Test func wrongKeyIsAClearError() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try makeKey(sandbox, "id_stranger", authorize: false)
                await #expect {
                    try await whoami(sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed && error.isUnreachable
                        && error.description.contains("no key was accepted for deploy@127.0.0.1")
                        && error.description.contains("\(key) (ssh-ed25519): refused by the server")
                        && error.description.contains("authorized_keys")
                }
            }
        }

        @Test func agentWithManyKeysHonoursIdentitiesOnly() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let socket = sandbox.directory + "/agent.sock"
                let agent = try ChildProcess("/usr/bin/ssh-agent", ["-D", "-a", socket], stdout: .null, stderr: .inherit)
                defer {
                    // ssh-agent -D does not stop on SIGTERM here.
                    agent.signal(SIGKILL)
                    _ = agent.waitForExit()
                }
                while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(20)) }
                let agentEnvironment = ["SSH_AUTH_SOCK": socket]
                for index in 0..<7 {
                    let stranger = try makeKey(sandbox, "id_stranger\(index)", authorize: false)
                    try TestSandbox.shell(["ssh-add", "-q", stranger], environment: agentEnvironment)
                }
                let right = try makeKey(sandbox, "id_agent_only", authorize: true)
                try TestSandbox.shell(["ssh-add", "-q", right], environment: agentEnvironment)
                // Only the agent can sign: the private key file is gone, its .pub names the key.
                try FileManager.default.removeItem(atPath: right)

                let withOnly = try sandbox.target(port: port, options: options(sandbox, identity: right), environment: agentEnvironment)
                let user = try await whoami(withOnly)
                #expect(user == "deploy\n")

                let withoutOnly = try sandbox.target(port: port, options: options(sandbox, identity: right, identitiesOnly: false), environment: agentEnvironment)
                await #expect {
                    try await whoami(withoutOnly)
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed && error.description.contains("ssh-agent key id_stranger0 (ssh-ed25519)")
                        && error.description.contains("MaxAuthTries")
                }
            }
        }
    }
}
