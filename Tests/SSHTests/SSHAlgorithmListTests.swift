import CLibSSH2
import Testing
@testable import SSH

/// ssh_config algorithm lists as OpenSSH reads them (`kex_assemble_names`), over what libssh2 1.10
/// can do: each case is a line a user might write and the names deployer then offers.
struct SSHAlgorithmListTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: SSHAlgorithmKind
        let value: String
        let offered: [String]
        var testDescription: String { "\(kind.rawValue) \(value)" }
    }

    static let cases: [Case] = [
        // A plain list replaces the default; names libssh2 lacks are left out, the order kept.
        Case(kind: .cipher, value: "aes256-ctr,aes128-ctr", offered: ["aes256-ctr", "aes128-ctr"]),
        Case(kind: .cipher, value: "chacha20-poly1305@openssh.com,aes256-ctr", offered: ["aes256-ctr"]),
        Case(kind: .cipher, value: "aes256-gcm@openssh.com", offered: []),
        // + appends to the default (a name already there keeps its place), - removes, ^ goes first.
        Case(kind: .cipher, value: "+aes128-cbc", offered: ["aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc"]),
        Case(kind: .cipher, value: "+aes128-ctr", offered: ["aes128-ctr", "aes192-ctr", "aes256-ctr"]),
        Case(kind: .cipher, value: "-aes128-ctr,aes192-ctr", offered: ["aes256-ctr"]),
        Case(kind: .cipher, value: "-aes*", offered: []),
        Case(kind: .cipher, value: "^aes256-ctr", offered: ["aes256-ctr", "aes128-ctr", "aes192-ctr"]),
        Case(kind: .mac, value: "hmac-sha2-512-etm@openssh.com,hmac-sha2-512", offered: ["hmac-sha2-512"]),
        Case(kind: .mac, value: "-hmac-sha1", offered: ["hmac-sha2-256", "hmac-sha2-512"]),
        Case(kind: .keyExchange, value: "+diffie-hellman-group14-sha1",
             offered: SSHAlgorithmKind.keyExchange.defaultNames + ["diffie-hellman-group14-sha1"]),
        Case(kind: .keyExchange, value: "-diffie-hellman*", offered: ["curve25519-sha256", "curve25519-sha256@libssh.org",
                                                                      "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521"]),
        // Wildcards in key algorithm lists match in libssh2's (OpenSSH's) order.
        Case(kind: .hostKey, value: "ecdsa-sha2-*", offered: ["ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]),
        Case(kind: .hostKey, value: "+ssh-rsa", offered: ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]),
        Case(kind: .hostKey, value: "rsa-sha2-512,rsa-sha2-256", offered: []),
        Case(kind: .publicKey, value: "rsa-sha2-256,ssh-rsa", offered: ["rsa-sha2-256", "ssh-rsa"]),
        Case(kind: .publicKey, value: "-rsa-sha2-512", offered: ["ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
                                                                 "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256",
                                                                 "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-256"]),
        Case(kind: .publicKey, value: "sk-ssh-ed25519@openssh.com", offered: []),
    ]

    @Test(arguments: cases) func listsAssembleAsOpenSSHDoes(_ testCase: Case) {
        #expect(SSHAlgorithmList.problem(in: testCase.value, kind: testCase.kind) == nil)
        #expect(SSHAlgorithmList.assemble(testCase.value, kind: testCase.kind) == testCase.offered)
    }

    /// Lines `ssh` refuses too ("Bad SSH2 cipher spec"), refused with what to do.
    @Test func malformedListsAreRefusedWhereWritten() throws {
        let refused: [(line: String, message: String)] = [
            ("Ciphers aes128-crt", "unknown cipher 'aes128-crt' in 'Ciphers' (OpenSSH knows no such name); `ssh -Q Ciphers` lists them"),
            ("MACs hmac-sha2-*", "unknown MAC 'hmac-sha2-*' in 'MACs' (patterns are allowed only in HostKeyAlgorithms, PubkeyAcceptedAlgorithms and '-' lists); `ssh -Q MACs` lists them"),
            ("KexAlgorithms curve25519-sha256,,ecdh-sha2-nistp256", "'KexAlgorithms' has an empty name in 'curve25519-sha256,,ecdh-sha2-nistp256'; separate names with single commas, no spaces"),
            ("HostKeyAlgorithms !ssh-rsa", "'HostKeyAlgorithms' does not take negated names ('!ssh-rsa'); remove names with a '-' list, e.g. '-ssh-rsa'"),
            ("PubkeyAcceptedAlgorithms nothing-*", "unknown public key algorithm 'nothing-*' in 'PubkeyAcceptedAlgorithms' (the pattern matches no name OpenSSH knows); `ssh -Q PubkeyAcceptedAlgorithms` lists them"),
            ("Ciphers aes128-ctr aes256-ctr", "'Ciphers' takes one value but got 2: aes128-ctr aes256-ctr; quote the value if it contains spaces"),
        ]
        for (line, message) in refused {
            #expect(throws: SSHConfigError(path: "config", line: 2, message: message)) {
                try SSHConfig(text: "Host *\n  \(line)\n", path: "config", homeDirectory: "/home/me")
            }
        }
    }

    /// The first value obtained wins, as for every option; `PubkeyAcceptedKeyTypes` is the same
    /// option under its old name. A list that leaves nothing is refused, naming its line.
    @Test func firstValueWinsAndAnEmptyListIsRefusedNamingItsLine() throws {
        let config = try SSHConfig(text: """
            Host fast
              Ciphers ^aes256-ctr
              PubkeyAcceptedKeyTypes rsa-sha2-256
            Host *
              Ciphers aes256-gcm@openssh.com
              PubkeyAcceptedAlgorithms ssh-ed25519
            """, path: "config", homeDirectory: "/home/me")
        let fast = config.resolve(host: "fast", localUser: "me", homeDirectory: "/home/me")
        #expect(fast.offered(.cipher) == ["aes256-ctr", "aes128-ctr", "aes192-ctr"])
        #expect(fast.offered(.publicKey) == ["rsa-sha2-256"])
        #expect(fast.offered(.mac) == SSHAlgorithmKind.mac.defaultNames)
        #expect(fast.refusedSettings.isEmpty)
        #expect(fast.signatureAlgorithms(forKeyType: "ssh-rsa") == ["rsa-sha2-256"])
        #expect(fast.signatureAlgorithms(forKeyType: "ssh-ed25519") == [])

        let other = config.resolve(host: "other", localUser: "me", homeDirectory: "/home/me")
        #expect(other.refusedSettings.map(\.description) == [
            "config:5: Ciphers aes256-gcm@openssh.com (leaves no cipher that libssh2 1.10 supports; it has 3des-cbc, aes128-cbc, aes192-cbc, aes256-cbc, aes128-ctr, aes192-ctr, aes256-ctr)",
        ])
        // Unset, an RSA key is tried with SHA-512, SHA-256, then ssh-rsa for old servers.
        #expect(try SSHConfig(text: "", path: "config", homeDirectory: "/home/me").resolve(host: "h", localUser: "me", homeDirectory: "/home/me")
            .signatureAlgorithms(forKeyType: "ssh-rsa") == ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"])
    }

    /// Known host key types go first unless HostKeyAlgorithms gives an explicit order (as `ssh`).
    @Test func knownHostKeyTypesGoFirstUnlessTheOrderIsExplicit() throws {
        for (value, prefers) in [("+ssh-rsa", true), ("-ssh-ed25519", true), ("ssh-ed25519,ecdsa-sha2-nistp256", false), ("^ecdsa-sha2-nistp256", false)] {
            let config = try SSHConfig(text: "HostKeyAlgorithms \(value)\n", path: "config", homeDirectory: "/home/me")
            #expect(config.resolve(host: "h", localUser: "me", homeDirectory: "/home/me").prefersKnownHostKeyTypes == prefers, "\(value)")
        }
    }

    /// Every name deployer offers is one libssh2 1.10 supports (it would otherwise refuse the whole
    /// preference list) and one OpenSSH knows; the defaults are OpenSSH's order.
    @Test func libssh2SupportsEveryNameOffered() throws {
        let methods: [SSHAlgorithmKind: Int32] = [.keyExchange: LIBSSH2_METHOD_KEX, .hostKey: LIBSSH2_METHOD_HOSTKEY,
                                                  .cipher: LIBSSH2_METHOD_CRYPT_CS, .mac: LIBSSH2_METHOD_MAC_CS]
        let session = try #require(SessionHandle())
        for (kind, method) in methods {
            var list: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            let count = libssh2_session_supported_algs(session.raw, method, &list)
            let supported = (0..<Int(max(count, 0))).compactMap { list?[$0].map { String(cString: $0) } }
            libssh2_free(session.raw, list)
            #expect(Set(kind.libssh2Names).isSubset(of: supported), "\(kind)")
        }
        for kind in SSHAlgorithmKind.allCases {
            #expect(Set(kind.libssh2Names).isSubset(of: kind.openSSHNames), "\(kind)")
            #expect(!kind.defaultNames.isEmpty, "\(kind)")
        }
    }
}
