import CLibCrypto

/// OpenBSD's bcrypt_pbkdf(3), the key derivation function of passphrase-protected OpenSSH key
/// files (PROTOCOL.key: kdfname "bcrypt", options salt and rounds).
///
/// PBKDF2's structure with a bcrypt-based hash: each 32-byte block of output is the XOR of
/// `rounds` hashes, each hash keyed by SHA-512 of the passphrase and salted by SHA-512 of the
/// previous one (the first by the salt and the block number); the output bytes are spread over
/// the blocks (byte i of block b goes to i · blocks + b), so that all of the key costs all of the
/// work. Blowfish and SHA-512 are libcrypto's; only the composition is here.
enum BcryptPBKDF {
    /// Bytes of one bcrypt hash.
    private static let hashLength = 32

    /// `count` bytes of key material from `passphrase` and `salt`; nil for parameters
    /// bcrypt_pbkdf refuses (an empty passphrase or salt, no rounds, more than 1024 bytes).
    static func deriveKey(passphrase: [UInt8], salt: [UInt8], rounds: UInt32, count: Int) -> [UInt8]? {
        guard !passphrase.isEmpty, !salt.isEmpty, rounds >= 1, count >= 1, count <= hashLength * hashLength else { return nil }
        let blocks = (count + hashLength - 1) / hashLength
        let hashedPassphrase = sha512(passphrase)
        var key = [UInt8](repeating: 0, count: count)
        for block in 1...blocks {
            let blockNumber = (0..<4).map { UInt8(truncatingIfNeeded: UInt32(block) >> (24 - 8 * $0)) }
            var hash = bcryptHash(hashedPassphrase: hashedPassphrase, hashedSalt: sha512(salt + blockNumber))
            var output = hash
            for _ in 1..<rounds {
                hash = bcryptHash(hashedPassphrase: hashedPassphrase, hashedSalt: sha512(hash))
                for index in output.indices { output[index] ^= hash[index] }
            }
            for (index, byte) in output.enumerated() {
                let destination = index * blocks + block - 1
                guard destination < count else { break }
                key[destination] = byte
            }
        }
        return key
    }

    /// bcrypt_pbkdf's hash: an EksBlowfish state set up from both inputs with 64 rounds of
    /// expansion, then "OxychromaticBlowfishSwatDynamite" enciphered 64 times under it, its
    /// words written little-endian (as OpenBSD's implementation does).
    private static func bcryptHash(hashedPassphrase: [UInt8], hashedSalt: [UInt8]) -> [UInt8] {
        var cipher = EksBlowfish()
        cipher.expand(key: hashedPassphrase, salt: hashedSalt)
        for _ in 0..<64 {
            cipher.expand(key: hashedSalt)
            cipher.expand(key: hashedPassphrase)
        }
        var plainText = CyclicWords(Array("OxychromaticBlowfishSwatDynamite".utf8))
        var blocks = (0..<hashLength / 4).map { _ in plainText.next() }
        for _ in 0..<64 { cipher.encrypt(&blocks) }
        return blocks.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }

    private static func sha512(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 64)
        guard EVP_Digest(bytes, bytes.count, &digest, nil, EVP_sha512(), nil) == 1 else {
            fatalError("libcrypto could not compute a SHA-512 digest (out of memory?)")
        }
        return digest
    }
}
