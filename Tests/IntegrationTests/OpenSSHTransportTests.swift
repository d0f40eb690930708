import DeployerExecution
import DeployerModel
import Foundation
import SSH
import Testing

/// The OpenSSH transport against sandbox hosts: what it reaches that libssh2 cannot, and what it does
/// when its master connection goes away.
@Suite(.tags(.sandbox)) struct OpenSSHTransportTests {
    /// A team's SSH CA hands out ed25519 (or RSA) user certificates, and the host trusts the CA only
    /// (`TrustedUserCAKeys`; the certified key is in no authorized_keys). libssh2 1.10 cannot sign with
    /// such a certificate: the push stops before any change (exit 4) naming the certificate and
    /// `transport: openssh`; with `--ssh-transport openssh` the same push deploys, authenticated by the
    /// certificate (sshd logs the CERT key type).
    @Test(arguments: ["ed25519", "rsa"])
    func aCertificateLibssh2CannotUseDeploysThroughOpenSSH(type: String) async throws {
        let keys = NSTemporaryDirectory() + "deployer-user-ca-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: keys) }
        for arguments in [["-t", "ed25519", "-N", "", "-C", "user CA", "-f", keys + "/user_ca"],
                          ["-t", type, "-N", "", "-C", "certified", "-f", keys + "/id_certified"],
                          ["-s", keys + "/user_ca", "-I", "certified", "-n", "deploy", keys + "/id_certified.pub"]] {
            let keygen = try await ProcessRunner.run("/usr/bin/ssh-keygen", ["-q"] + arguments)
            try #require(keygen.status == 0, "\(String(decoding: keygen.stderr, as: UTF8.self))")
        }
        try await Sandbox.with(hosts: 1, sshdOptions: ["TrustedUserCAKeys \(keys)/user_ca.pub"]) { sandbox in
            // The sandbox's own key (authorized) gives way to the certified one.
            let config = try String(contentsOfFile: sandbox.sshConfig, encoding: .utf8)
                .replacingOccurrences(of: "IdentityFile \(sandbox.directory)/client/id_ed25519", with: "IdentityFile \(keys)/id_certified")
            try config.write(toFile: sandbox.sshConfig, atomically: true, encoding: .utf8)
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }

            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 4, "\(refused.output)")
            #expect(refused.output.contains("\(keys)/id_certified-cert.pub (ssh-\(type)-cert-v01@openssh.com): cannot use the certificate"),
                    "\(refused.output)")
            #expect(refused.output.contains("transport: openssh"), "\(refused.output)")
            #expect(try await sandbox.current("host1") == nil)

            var openSSH = sandbox
            openSSH.transport = .openssh
            let pushed = try await openSSH.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(try await sandbox.current("host1") != nil)
            let log = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
            #expect(log.contains("Accepted publickey for deploy") && log.contains(type == "rsa" ? "RSA-CERT" : "ED25519-CERT"), "\(log)")
        }
    }

    /// The host drops the master's connection while no command runs (a restarted sshd, a NAT that forgot
    /// it): the next command fails as a lost connection, as a broken libssh2 session does, instead of
    /// ssh connecting to the host again on its own, unseen (it did: a plain mux client falls back to a
    /// direct connection when its master is gone).
    @Test func aCommandAfterItsMasterDiedFailsInsteadOfConnectingAgainUnseen() async throws {
        try await Sandbox.with(hosts: 1, transport: .openssh) { sandbox in
            let config = try SSHConfig.load(path: sandbox.sshConfig)
            let environment = ProcessInfo.processInfo.environment.merging(["XDG_RUNTIME_DIR": sandbox.runtimeDirectory]) { $1 }
            let connector = OpenSSHConnector(ssh: "/usr/bin/ssh", configFile: sandbox.sshConfig, environment: environment) { host in
                SSHTarget.resolve(host.name, config: config, policy: nil, environment: environment)
            }
            let host = FleetHost(address: HostAddress(parsing: "host1")!, roles: ["web"])
            let transport = try await connector.connect(to: host)
            defer { Task { await transport.close() } }
            let first = try await transport.run("echo first", input: [], timeout: nil, onOutput: nil)
            #expect(first.exitStatus == 0 && first.stdout == "first\n")

            try await sandbox.dropConnections("host1")
            try await waitFor { sandbox.sshProcesses().isEmpty }
            do throws(TransportError) {
                let second = try await transport.run("echo second", input: [], timeout: nil, onOutput: nil)
                Issue.record("the command ran without its master: \(second)")
            } catch {
                #expect(error.kind == .connectionLost, "\(error)")
                #expect(error.message.contains("before `echo second` could start, so it did not run"), "\(error)")
            }
            let accepted = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
                .components(separatedBy: "Accepted publickey").count - 1
            #expect(accepted == 1, "host1 authenticated \(accepted) connections")
        }
    }
}
