import Foundation

/// An OpenSSH user certificate (`ssh-keygen -s`), from `CertificateFile` or found as
/// `NAME-cert.pub` beside an identity `NAME`, as `ssh` finds them. The private key that signs
/// for it is the identity whose public key the certificate holds.
struct UserCertificate {
    /// The certificate file.
    let path: String
    /// `ecdsa-sha2-nistp256-cert-v01@openssh.com`, `ssh-ed25519-cert-v01@openssh.com`, …
    let type: String
    /// The certificate blob (its type, a nonce, the certified public key's fields, then the rest).
    let blob: [UInt8]

    /// Why deployer's libssh2 transport cannot offer a certificate of another type than ECDSA.
    static let unsupportedExplanation =
        "cannot use the certificate: libssh2 1.10 signs with ECDSA certificates only, not ed25519 or RSA ones; use `ssh: { transport: openssh }` in the recipe's environment (or --ssh-transport openssh)"

    /// Reads a certificate file (`TYPE BASE64 [COMMENT]`); nil when it is missing or not a certificate.
    init?(path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, fields[0].contains("-cert-v01@openssh.com"),
              let data = Data(base64Encoded: String(fields[1])) else { return nil }
        self.path = path
        type = String(fields[0])
        blob = Array(data)
    }

    /// Whether libssh2 1.10 can authenticate with it: it signs ECDSA certificates as the plain
    /// key, which OpenSSH accepts; ed25519 certificates came in 1.11.0, RSA-SHA2 ones in 1.11.1.
    var libssh2CanSign: Bool { type.hasPrefix("ecdsa-sha2-") }

    /// Whether this certifies `publicBlob` (a plain public key blob): after its type and nonce, a
    /// certificate holds the key's fields exactly as the plain blob has them after its type.
    func certifies(_ publicBlob: [UInt8]) -> Bool {
        var certificate = SSHWireReader(blob), key = SSHWireReader(publicBlob)
        guard certificate.string() != nil, certificate.string() != nil, key.string() != nil else { return false }
        let keyFields = key.remaining
        return !keyFields.isEmpty && certificate.remaining.starts(with: keyFields)
    }

    /// The certificates `ssh` would offer with `identity`: `IDENTITY-cert.pub`, then the
    /// `CertificateFile`s that certify its public key.
    static func offered(with identity: IdentityFile, certificateFiles: [String]) -> [UserCertificate] {
        let beside = UserCertificate(path: identity.path + "-cert.pub")
        let named = certificateFiles.compactMap(UserCertificate.init(path:)).filter { certificate in
            identity.publicBlob.map(certificate.certifies) ?? false
        }
        return ([beside].compactMap { $0 } + named).reduce(into: []) { unique, certificate in
            if !unique.contains(where: { $0.path == certificate.path }) { unique.append(certificate) }
        }
    }
}
