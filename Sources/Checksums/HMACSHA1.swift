import CLibCrypto

/// HMAC-SHA1 (RFC 2104) by libcrypto, as OpenSSH uses it to hash host names in known_hosts.
public enum HMACSHA1 {
    /// The 20-byte MAC of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                HMAC(EVP_sha1(), key.baseAddress, Int32(key.count), message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     message.count, &out, &length)
            }
        }
        guard done != nil else { fatalError("libcrypto could not compute an HMAC-SHA1") }
        return Array(out.prefix(Int(length)))
    }
}
