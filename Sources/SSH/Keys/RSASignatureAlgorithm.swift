/// The names an RSA public-key signature goes by, in the order deployer offers them: SHA-512 and
/// SHA-256 (RFC 8332; all OpenSSH 8.8 and later accepts by default), then SHA-1 `ssh-rsa` for old
/// servers that know nothing else. libssh2 1.10 sends no ext-info, so the server never says which
/// it takes: the next is tried when one is refused.
enum RSASignatureAlgorithm: String, CaseIterable, Sendable {
    case sha512 = "rsa-sha2-512"
    case sha256 = "rsa-sha2-256"
    case sha1 = "ssh-rsa"

    /// The digest's size in bits as `deployer_rsa_sign` takes it (1 for SHA-1).
    var digestBits: Int32 {
        switch self {
        case .sha512: 512
        case .sha256: 256
        case .sha1: 1
        }
    }

    /// The flags of an agent sign request asking for this algorithm (`SSH_AGENT_RSA_SHA2_512` = 4,
    /// `SSH_AGENT_RSA_SHA2_256` = 2; 0 is SHA-1, all libssh2 1.10's own agent signing asks for).
    var agentFlags: UInt32 {
        switch self {
        case .sha512: 4
        case .sha256: 2
        case .sha1: 0
        }
    }

    /// `blob` (an `ssh-rsa` public key blob) with its name replaced by this algorithm's, nil when
    /// it is not an RSA key. libssh2 1.10 sends the blob's first string as the request's algorithm
    /// name: this is how it is made to ask for SHA-2. (RFC 8332 keeps the blob named `ssh-rsa`;
    /// OpenSSH maps both names to the same key type.)
    func renaming(_ blob: [UInt8]) -> [UInt8]? {
        guard IdentityFile.publicKeyType(of: blob) == Self.sha1.rawValue else { return nil }
        var writer = SSHWireWriter()
        writer.string(Array(rawValue.utf8))
        return writer.bytes + blob.dropFirst(4 + Self.sha1.rawValue.utf8.count)
    }
}
