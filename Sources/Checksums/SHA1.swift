import CLibCrypto

/// SHA-1 (FIPS 180-4) by libcrypto, only for OpenSSH's hashed known_hosts names
/// (`|1|salt|hash` is HMAC-SHA1).
///
/// Not for anything that needs collision resistance; use `SHA256` for that.
public enum SHA1 {
    /// The 20-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        MessageDigest.oneShot(EVP_sha1(), bytes)
    }
}
