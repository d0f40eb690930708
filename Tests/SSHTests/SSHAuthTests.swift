import Foundation
import Synchronization
import Testing
@testable import SSH

extension SandboxSuites {
    /// Authentication against real sshd hosts: key files, passphrases, RSA with SHA-2 (files and
    /// agent) and the ssh-rsa fallback, wrong keys, ssh-agent.
    @Suite("SSH authentication", .serialized)
    struct SSHAuthTests {
        private func options(_ sandbox: TestSandbox, identity: String, identitiesOnly: Bool = true) -> [String] {
            ["IdentityFile \(identity)", "IdentitiesOnly \(identitiesOnly ? "yes" : "no")", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
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
                let key = try sandbox.makeKey("id_encrypted", passphrase: "correct horse", authorize: true)
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

        /// `whoami` through `target`, and the lines of its trace that say how an RSA key fared.
        private func whoamiTracingRSA(_ target: SSHTarget) async throws -> (user: String, rsa: [String]) {
            var target = target
            let traced = Mutex<[String]>([])
            target.trace = { line in traced.withLock { $0.append(line) } }
            let user = try await whoami(target)
            let lines = traced.withLock { $0 }
            return (user, lines.compactMap { line in line.range(of: "publickey RSA as ").map { String(line[$0.upperBound...]) } })
        }

        /// RSA keys as `ssh-keygen` writes them, in both file formats, with and without a passphrase:
        /// each signs as rsa-sha2-512, which OpenSSH 9.2 accepts by default (libssh2 1.10 alone can
        /// sign only as ssh-rsa, which it refuses).
        @Test func rsaKeyFilesSignWithSHA512() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let keys = [
                    (try sandbox.makeKey("id_rsa_openssh", type: "rsa", authorize: true), ""),
                    (try sandbox.makeKey("id_rsa_openssh_locked", type: "rsa", passphrase: "correct horse", authorize: true), "correct horse"),
                    (try sandbox.makeKey("id_rsa_pem", type: "rsa", format: "PEM", authorize: true), ""),
                    (try sandbox.makeKey("id_rsa_pem_locked", type: "rsa", format: "PEM", passphrase: "battery staple", authorize: true), "battery staple"),
                ]
                for (key, passphrase) in keys {
                    let environment = passphrase.isEmpty ? [:] : ["DEPLOYER_SSH_PASSPHRASE": passphrase]
                    let outcome = try await whoamiTracingRSA(sandbox.target(port: port, options: options(sandbox, identity: key), environment: environment))
                    #expect(outcome.user == "deploy\n", "\(key)")
                    #expect(outcome.rsa == ["rsa-sha2-512: accepted"], "\(key)")
                }
                let log = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
                #expect(log.components(separatedBy: "Accepted publickey for deploy").count - 1 == keys.count)
                #expect(!log.contains("ssh-rsa not in PubkeyAcceptedAlgorithms"))
            }
        }

        @Test func rsaKeyWithAWrongPassphraseSaysSo() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                for format in ["RFC4716", "PEM"] {
                    let key = try sandbox.makeKey("id_rsa_\(format)", type: "rsa", format: format, passphrase: "correct horse", authorize: true)
                    for (environment, expected) in [([:], "it is encrypted; set DEPLOYER_SSH_PASSPHRASE"),
                                                    (["DEPLOYER_SSH_PASSPHRASE": "wrong"], "wrong passphrase in DEPLOYER_SSH_PASSPHRASE")] {
                        await #expect {
                            try await whoami(sandbox.target(port: port, options: options(sandbox, identity: key), environment: environment))
                        } throws: { error in
                            let error = error as! SSHError
                            return error.kind == .authFailed && error.description.contains("\(key) (ssh-rsa): cannot ") && error.description.contains(expected)
                        }
                    }
                }
            }
        }

        /// An RSA key only ssh-agent holds: the agent is asked for an rsa-sha2-512 signature
        /// (flags 4), which libssh2 1.10's own agent signing never asks for.
        @Test func rsaKeyInSSHAgentSignsWithSHA512() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.withSSHAgent { agentEnvironment in
                    let key = try sandbox.makeKey("id_rsa_agent", type: "rsa", authorize: true)
                    try sandbox.giveOnlyToAgent(key, environment: agentEnvironment)
                    let target = try sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key), environment: agentEnvironment)
                    let outcome = try await whoamiTracingRSA(target)
                    #expect(outcome.user == "deploy\n")
                    #expect(outcome.rsa == ["rsa-sha2-512: accepted"])
                }
            }
        }

        /// A server that takes RSA signatures only as ssh-rsa (SHA-1; before OpenSSH 7.2, or
        /// configured so) refuses rsa-sha2-512 and rsa-sha2-256, and accepts the third try.
        @Test func oldServerGetsSSHRSA() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["PubkeyAcceptedAlgorithms ssh-rsa"])
                let key = try sandbox.makeKey("id_rsa", type: "rsa", authorize: true)
                let outcome = try await whoamiTracingRSA(sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                #expect(outcome.user == "deploy\n")
                #expect(outcome.rsa == ["rsa-sha2-512: refused by the server", "rsa-sha2-256: refused by the server", "ssh-rsa: accepted"])
            }
        }

        @Test func serverRefusingEveryRSAAlgorithmListsWhatWasTried() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["PubkeyAcceptedAlgorithms ssh-ed25519"])
                let key = try sandbox.makeKey("id_rsa", type: "rsa", authorize: true)
                await #expect {
                    try await whoami(sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed
                        && error.description.contains("\(key) (ssh-rsa): refused by the server as rsa-sha2-512, rsa-sha2-256, ssh-rsa")
                        && error.description.contains("authorized_keys")
                }
            }
        }

        @Test func wrongKeyIsAClearError() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try sandbox.makeKey("id_stranger", authorize: false)
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

        /// `IdentityFile KEY.pub` with `IdentitiesOnly yes` picks that key of the agent by its public
        /// half, as ssh does (how one key of an agent whose private keys are never on disk, such as a
        /// password manager's, is chosen). Before, the agent's keys were all left out and the file
        /// tried as a private key: "(unknown type): cannot use the key: encrypted or unreadable?".
        @Test func aPublicKeyAsIdentityFileChoosesTheAgentsKey() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let right = try sandbox.makeKey("id_chosen_by_its_public_half", type: "rsa", authorize: true)
                let stranger = try sandbox.makeKey("id_stranger", authorize: false)
                let chosen = options(sandbox, identity: right + ".pub")
                try await sandbox.withSSHAgent { agentEnvironment in
                    try TestSandbox.shell(["ssh-add", "-q", stranger], environment: agentEnvironment)
                    await #expect {
                        try await whoami(sandbox.target(port: port, options: chosen, environment: agentEnvironment))
                    } throws: { error in
                        (error as? SSHError)?.description.contains(
                            "\(right).pub (ssh-rsa): a public key, and ssh-agent does not hold its private key; add the key to the agent") == true
                    }
                    try sandbox.giveOnlyToAgent(right, environment: agentEnvironment)
                    let user = try await whoami(sandbox.target(port: port, options: chosen, environment: agentEnvironment))
                    #expect(user == "deploy\n")
                }
            }
        }

        @Test func agentWithManyKeysHonoursIdentitiesOnly() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                try await sandbox.withSSHAgent { agentEnvironment in
                    for index in 0..<7 {
                        let stranger = try sandbox.makeKey("id_stranger\(index)", authorize: false)
                        try TestSandbox.shell(["ssh-add", "-q", stranger], environment: agentEnvironment)
                    }
                    let right = try sandbox.makeKey("id_agent_only", authorize: true)
                    try sandbox.giveOnlyToAgent(right, environment: agentEnvironment)

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
}
