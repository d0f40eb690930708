import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// User certificates against a sandbox host that trusts a user CA (`TrustedUserCAKeys`) and
    /// has none of the certified keys in authorized_keys: only the certificate can let them in.
    @Suite("SSH user certificates", .serialized)
    struct SSHCertificateTests {
        /// A key of `type` signed by the sandbox's user CA for the user deploy (`ssh-keygen -s`),
        /// its certificate beside it as `NAME-cert.pub`; host1 trusts the CA from the first call.
        private func certifiedKey(_ sandbox: TestSandbox, _ name: String, type: String) async throws -> String {
            let ca = sandbox.directory + "/user_ca"
            if !FileManager.default.fileExists(atPath: ca) {
                try TestSandbox.shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "user CA", "-f", ca])
                try await sandbox.reconfigure("host1", adding: ["TrustedUserCAKeys \(ca).pub"])
            }
            let key = try sandbox.makeKey(name, type: type, authorize: false)
            try TestSandbox.shell(["ssh-keygen", "-q", "-s", ca, "-I", name, "-n", "deploy", key + ".pub"])
            return key
        }

        private func options(_ sandbox: TestSandbox, identity: String) -> [String] {
            ["IdentityFile \(identity)", "IdentitiesOnly yes", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
        }

        @Test func ecdsaCertificateBesideTheKeyAuthenticates() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try await certifiedKey(sandbox, "id_ecdsa_certified", type: "ecdsa")
                let connection = try await SSHConnection.connect(to: sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                let user = try await connection.exec("whoami").stdoutText
                await connection.close()
                #expect(user == "deploy\n")
                #expect(connection.acceptedIdentity == "\(key)-cert.pub (ecdsa-sha2-nistp256-cert-v01@openssh.com)")
                let log = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
                #expect(log.contains("Accepted publickey for deploy") && log.contains("ECDSA-CERT"), "\(log)")
            }
        }

        @Test func ecdsaCertificateNamedByCertificateFileAuthenticates() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try await certifiedKey(sandbox, "id_ecdsa_elsewhere", type: "ecdsa")
                let certificate = sandbox.directory + "/deploy-certificate.pub"
                try FileManager.default.moveItem(atPath: key + "-cert.pub", toPath: certificate)
                let target = try sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key) + ["CertificateFile \(certificate)"])
                let connection = try await SSHConnection.connect(to: target)
                await connection.close()
                #expect(connection.acceptedIdentity == "\(certificate) (ecdsa-sha2-nistp256-cert-v01@openssh.com)")
            }
        }

        /// libssh2 1.10 cannot sign with ed25519 or RSA certificates: the host is refused with the
        /// certificate named and the OpenSSH transport pointed at.
        @Test(arguments: [("ed25519", "ssh-ed25519-cert-v01@openssh.com"), ("rsa", "ssh-rsa-cert-v01@openssh.com")])
        func ed25519AndRSACertificatesAreRefusedPointingAtOpenSSH(type: String, certificateType: String) async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let key = try await certifiedKey(sandbox, "id_\(type)_certified", type: type)
                await #expect {
                    try await SSHConnection.connect(to: sandbox.target(port: sandbox.hosts[0].port, options: options(sandbox, identity: key)))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .authFailed
                        && error.description.contains("\(key)-cert.pub (\(certificateType)): cannot use the certificate: libssh2 1.10 signs with ECDSA certificates only")
                        && error.description.contains("transport: openssh")
                }
            }
        }
    }
}
