/// HMAC-SHA1 (RFC 2104), as OpenSSH uses it to hash host names in known_hosts.
public enum HMACSHA1 {
    /// The 20-byte MAC of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > SHA1.blockSize ? SHA1.hash(key) : key
        block.append(contentsOf: repeatElement(0, count: SHA1.blockSize - block.count))
        let inner = SHA1.hash(block.map { $0 ^ 0x36 } + message)
        return SHA1.hash(block.map { $0 ^ 0x5c } + inner)
    }
}
