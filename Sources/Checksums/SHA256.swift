import CLibCrypto

/// SHA-256 (FIPS 180-4) by libcrypto, which libssh2 links already.
///
/// Used for host key fingerprints, the recipe fingerprint and artifact digests; feed data
/// with `update` in any chunk sizes (a large file is streamed, never held whole), then call
/// `finalize` once. Not copyable: it owns a libcrypto context, freed when the value goes.
public struct SHA256: ~Copyable {
    private let context: MessageDigest

    /// Starts an empty digest.
    public init() {
        context = MessageDigest(EVP_sha256())
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        MessageDigest.oneShot(EVP_sha256(), bytes)
    }

    /// Lower-case hexadecimal of a digest (or any bytes).
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Adds bytes to the digest.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { context.update($0) }
    }

    /// Adds bytes to the digest without copying them first.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        context.update(bytes)
    }

    /// Finishes and returns the 32-byte digest; the value should not be updated afterwards.
    public mutating func finalize() -> [UInt8] {
        context.finalize()
    }
}
