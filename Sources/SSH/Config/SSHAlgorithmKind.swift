/// One of the algorithm lists ssh_config sets (`KexAlgorithms`, `HostKeyAlgorithms`, `Ciphers`,
/// `MACs`, `PubkeyAcceptedAlgorithms`), with the names OpenSSH 9.2 knows for it, the ones
/// libssh2 1.10 can use, and the default deployer offers.
///
/// The default is OpenSSH's (`ssh -G`) restricted to what libssh2 1.10 supports, in OpenSSH's
/// order, so a host negotiates what `ssh` would have had it no newer algorithm in common.
public enum SSHAlgorithmKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case keyExchange = "KexAlgorithms"
    case hostKey = "HostKeyAlgorithms"
    case cipher = "Ciphers"
    case mac = "MACs"
    case publicKey = "PubkeyAcceptedAlgorithms"

    /// The kind a lower-cased ssh_config keyword sets (`PubkeyAcceptedKeyTypes` is the old name
    /// of `PubkeyAcceptedAlgorithms`); nil for other keywords.
    init?(keyword: String) {
        switch keyword {
        case "kexalgorithms": self = .keyExchange
        case "hostkeyalgorithms": self = .hostKey
        case "ciphers": self = .cipher
        case "macs": self = .mac
        case "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes": self = .publicKey
        default: return nil
        }
    }

    /// What one of these algorithms is called in a sentence.
    var noun: String {
        switch self {
        case .keyExchange: "key exchange"
        case .hostKey: "host key algorithm"
        case .cipher: "cipher"
        case .mac: "MAC"
        case .publicKey: "public key algorithm"
        }
    }

    /// Whether names may be wildcard patterns, as OpenSSH allows for key algorithms only
    /// (a `-` list takes patterns for every kind).
    var acceptsPatterns: Bool { self == .hostKey || self == .publicKey }

    /// Every name OpenSSH 9.2 knows (`ssh -Q cipher`, `mac`, `kex`, `HostKeyAlgorithms`,
    /// `PubkeyAcceptedAlgorithms`): another name is a typo, as `ssh` says too.
    var openSSHNames: [String] {
        switch self {
        case .keyExchange:
            ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1", "diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
             "diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group-exchange-sha256",
             "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "curve25519-sha256", "curve25519-sha256@libssh.org",
             "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com"]
        case .hostKey, .publicKey:
            ["ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
             "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
             "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
             "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss", "ssh-dss-cert-v01@openssh.com",
             "ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512",
             "rsa-sha2-512-cert-v01@openssh.com"]
        case .cipher:
            ["3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com",
             "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"]
        case .mac:
            ["hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512", "hmac-md5", "hmac-md5-96", "umac-64@openssh.com",
             "umac-128@openssh.com", "hmac-sha1-etm@openssh.com", "hmac-sha1-96-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
             "hmac-sha2-512-etm@openssh.com", "hmac-md5-etm@openssh.com", "hmac-md5-96-etm@openssh.com", "umac-64-etm@openssh.com",
             "umac-128-etm@openssh.com"]
        }
    }

    /// The names of `openSSHNames` deployer can use over libssh2 1.10, in OpenSSH's order (which
    /// decides the order a wildcard expands in).
    public var libssh2Names: [String] {
        openSSHNames.filter(libssh2Supported.contains)
    }

    /// What deployer can use over libssh2 1.10 (`libssh2_session_supported_algs` lists a
    /// superset: `SSHAlgorithmListTests` checks). Host keys: no certificates (deployer cannot
    /// verify them) and no `rsa-sha2-*` (1.10 verifies RSA host keys only as `ssh-rsa`). Public
    /// keys: the key types deployer signs with, RSA as `rsa-sha2-512`, `rsa-sha2-256` and
    /// `ssh-rsa`, and ECDSA certificates.
    private var libssh2Supported: Set<String> {
        switch self {
        case .keyExchange:
            ["curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
             "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
             "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1", "diffie-hellman-group-exchange-sha1"]
        case .hostKey:
            ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss"]
        case .publicKey:
            ["ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
             "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]
        case .cipher:
            ["aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc"]
        case .mac:
            ["hmac-sha2-256", "hmac-sha2-512", "hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96"]
        }
    }

    /// OpenSSH 9.2's default list (`ssh -G`), of which deployer offers the `libssh2Names`.
    var openSSHDefault: [String] {
        switch self {
        case .keyExchange:
            ["sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "curve25519-sha256@libssh.org",
             "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
             "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256"]
        case .hostKey, .publicKey:
            ["ssh-ed25519-cert-v01@openssh.com", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
             "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
             "rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256",
             "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
             "rsa-sha2-512", "rsa-sha2-256"]
        case .cipher:
            ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]
        case .mac:
            ["umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
             "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1"]
        }
    }

    /// What deployer offers when ssh_config does not set this list: OpenSSH's default, less what
    /// libssh2 1.10 cannot do.
    public var defaultNames: [String] {
        openSSHDefault.filter(libssh2Names.contains)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
