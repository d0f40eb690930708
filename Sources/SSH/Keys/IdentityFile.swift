import Foundation

/// A private key file named by `IdentityFile`, with what can be learnt without decrypting it:
/// its key type and public key blob (from `FILE.pub`, or the unencrypted header of an OpenSSH key).
/// `IdentityFile` may also name a public key (`KEY.pub`), as ssh allows, to pick which of an
/// agent's keys to offer: then only the agent can sign with it (`isPublicKeyOnly`).
public struct IdentityFile: Sendable {
    /// The private key's path.
    public let path: String
    /// Whether the private key file exists.
    public let exists: Bool
    /// `FILE.pub` when it exists (libssh2 then needs not derive the public key).
    let publicKeyPath: String?
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …; nil when unknown.
    public let keyType: String?
    /// The public key blob as an agent or known_hosts holds it; nil when unknown.
    let publicBlob: [UInt8]?
    /// Whether the private key is protected by a passphrase.
    public let isEncrypted: Bool
    /// Whether `path` holds a public key (one `TYPE BASE64 [COMMENT]` line), not a private one.
    public let isPublicKeyOnly: Bool

    /// Inspects `path` and `path.pub`; never fails (unknown parts stay nil).
    public init(path: String) {
        self.path = path
        let fileManager = FileManager.default
        exists = fileManager.fileExists(atPath: path)
        let text = exists ? (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" : ""
        let privateKey = Self.inspectPrivateKey(text)
        isEncrypted = privateKey.encrypted
        let pubPath = path + ".pub"
        if let publicKey = Self.publicKey(in: text) {
            isPublicKeyOnly = true
            publicKeyPath = path
            (keyType, publicBlob) = (publicKey.type, publicKey.blob)
        } else if let publicKey = (try? String(contentsOfFile: pubPath, encoding: .utf8)).flatMap(Self.publicKey(in:)) {
            isPublicKeyOnly = false
            publicKeyPath = pubPath
            (keyType, publicBlob) = (publicKey.type, publicKey.blob)
        } else {
            isPublicKeyOnly = false
            publicKeyPath = nil
            keyType = privateKey.type
            publicBlob = privateKey.blob
        }
    }

    /// The key type and blob of a public key file's text (`ssh-ed25519 AAAA… comment`), as ssh's
    /// `sshkey_try_load_public` reads it; nil for anything else (a private key, an empty file).
    static func publicKey(in text: String) -> (type: String, blob: [UInt8]?)? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard let type = fields.first, type.hasPrefix("ssh-") || type.hasPrefix("ecdsa-") || type.hasPrefix("sk-") else { return nil }
        return (String(type), fields.count > 1 ? Data(base64Encoded: String(fields[1])).map { Array($0) } : nil)
    }

    /// Whether this is an RSA key, which libssh2 1.10 can only sign with SHA-1.
    public var isRSA: Bool { keyType == "ssh-rsa" }

    /// Key type, public blob and encryption of a private key file's text.
    static func inspectPrivateKey(_ text: String) -> (type: String?, blob: [UInt8]?, encrypted: Bool) {
        let pemEncrypted = text.contains("ENCRYPTED")
        if text.contains("BEGIN RSA PRIVATE KEY") { return ("ssh-rsa", nil, pemEncrypted) }
        if text.contains("BEGIN EC PRIVATE KEY") { return ("ecdsa-sha2-nistp256", nil, pemEncrypted) }
        guard text.contains("BEGIN OPENSSH PRIVATE KEY") else { return (nil, nil, pemEncrypted) }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { return (nil, nil, false) }
        // openssh-key-v1\0, cipher, kdf, kdf options, key count, then the first public key blob.
        var reader = SSHWireReader(Array(data))
        guard reader.skip(15), let cipher = reader.string(), reader.string() != nil, reader.string() != nil,
              reader.uint32() != nil, let blob = reader.string() else { return (nil, nil, false) }
        return (publicKeyType(of: blob), blob, cipher != Array("none".utf8))
    }

    /// The key type named at the start of a public key blob.
    static func publicKeyType(of blob: [UInt8]) -> String? {
        var reader = SSHWireReader(blob)
        return reader.string().map { String(decoding: $0, as: UTF8.self) }
    }
}
