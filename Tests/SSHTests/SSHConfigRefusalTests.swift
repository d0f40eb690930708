import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// Every keyword deployer refuses, set for a real sandbox host as a user would write it: the
    /// host fails before connecting, with the setting's file and line, why, and the way out.
    @Suite("ssh_config settings deployer refuses", .serialized)
    struct SSHConfigRefusalTests {
        /// A value a user might write for each refused keyword (none of them harmless).
        static let examples: [String: String] = [
            "addressfamily": "inet6", "bindaddress": "127.0.0.1", "bindinterface": "lo", "canonicalizehostname": "yes",
            "forwardagent": "yes", "knownhostscommand": "/usr/local/bin/host-keys %H", "revokedhostkeys": "/etc/ssh/revoked_keys",
            "pkcs11provider": "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "smartcarddevice": "/dev/sc0",
            "securitykeyprovider": "/usr/lib/libsk-libfido2.so", "pubkeyauthentication": "no", "dsaauthentication": "no",
            "proxyusefdpass": "yes", "permitlocalcommand": "yes", "rekeylimit": "1G 1h", "requiredrsasize": "2048",
            "setenv": "LANG=C.UTF-8",
        ]

        @Test func everyRefusedKeywordFailsItsHostWithTheLine() async throws {
            let refused = SSHConfigKeyword.table.compactMap { keyword, treatment -> (String, String)? in
                guard case .refused(_, let why) = treatment else { return nil }
                return (keyword, why)
            }.sorted { $0.0 < $1.0 }
            #expect(Set(refused.map(\.0)) == Set(Self.examples.keys), "give every refused keyword an example value")
            try await TestSandbox.with(hosts: 1) { sandbox in
                let port = sandbox.hosts[0].port
                let usual = ["IdentityFile \(sandbox.ed25519Key)", "IdentitiesOnly yes", "UserKnownHostsFile \(sandbox.knownHostsPath)"]
                // Reachable as configured, without the refused setting.
                let connection = try await SSHConnection.connect(to: sandbox.target(port: port, options: usual))
                await connection.close()
                for (keyword, why) in refused {
                    let value = try #require(Self.examples[keyword])
                    let target = try sandbox.target(port: port, options: usual + ["\(keyword) \(value)"])
                    await #expect {
                        try await SSHConnection.connect(to: target)
                    } throws: { error in
                        let error = error as! SSHError
                        return error.kind == .local
                            && error.description.contains("\(sandbox.directory)/test_config:8: \(keyword) \(value) (\(why))")
                            && error.description.contains("transport: openssh")
                    }
                }
            }
        }
    }
}
