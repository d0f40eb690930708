import CKeyCrypto
#if canImport(Glibc)
import Glibc
#endif

/// An RSA private key in memory (libcrypto's), to sign public-key authentication requests with
/// SHA-2, which libssh2 1.10 cannot do with RSA keys itself.
///
/// Not Sendable: loaded and used on one session's thread.
final class RSAPrivateKey {
    private let raw: UnsafeMutableRawPointer
    /// The `ssh-rsa` public key blob (name, exponent, modulus).
    let publicBlob: [UInt8]

    /// Takes ownership of a key from `deployer_rsa_key_from_*`.
    init(taking raw: UnsafeMutableRawPointer) {
        self.raw = raw
        var writer = SSHWireWriter()
        writer.string(Array(RSASignatureAlgorithm.sha1.rawValue.utf8))
        writer.mpint(Self.publicPart(raw, "e"))
        writer.mpint(Self.publicPart(raw, "n"))
        publicBlob = writer.bytes
    }

    deinit {
        deployer_rsa_key_free(raw)
    }

    /// A PKCS#1 v1.5 signature of `data` under `algorithm`'s digest.
    func sign(_ data: [UInt8], as algorithm: RSASignatureAlgorithm) -> Result<[UInt8], SigningFailure> {
        var signature: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard deployer_rsa_sign(raw, algorithm.digestBits, data, data.count, &signature, &length) == 0, let signature else {
            return .failure(SigningFailure(reason: "libcrypto could not sign with the key as \(algorithm.rawValue)"))
        }
        defer { free(signature) }
        return .success(Array(UnsafeBufferPointer(start: signature, count: length)))
    }

    private static func publicPart(_ raw: UnsafeMutableRawPointer, _ which: Character) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let length = deployer_rsa_key_public_part(raw, CChar(which.asciiValue!), &buffer, buffer.count)
        return Array(buffer.prefix(length))
    }
}
