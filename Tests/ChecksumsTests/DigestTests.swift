import Checksums
import Testing

/// Known-answer vectors (FIPS 180-4 examples, RFC 2202) for the digests that fingerprints, known_hosts and artifacts rely on.
@Suite struct DigestTests {
    static let abc448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    static let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (abc448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ])
    func sha1(input: String, expected: String) {
        #expect(SHA256.hex(SHA1.hash(Array(input.utf8))) == expected)
    }

    @Test func sha1MillionA() {
        #expect(SHA256.hex(SHA1.hash(Self.millionA)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (abc448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(input: String, expected: String) {
        #expect(SHA256.hex(SHA256.hash(Array(input.utf8))) == expected)
    }

    @Test func sha256MillionAInUnevenChunks() {
        var digest = SHA256()
        var offset = 0
        var chunk = 1
        while offset < Self.millionA.count {
            let end = min(offset + chunk, Self.millionA.count)
            Self.millionA[offset..<end].withUnsafeBytes { digest.update($0) }
            offset = end
            chunk = chunk * 7 % 1000 + 1
        }
        #expect(SHA256.hex(digest.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256AllLengthsAroundBlockBoundaries() {
        // Same digest whether fed at once or byte by byte, for every padding case (0...130 bytes).
        for length in 0...130 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var incremental = SHA256()
            for byte in bytes {
                incremental.update([byte])
            }
            #expect(incremental.finalize() == SHA256.hash(bytes), "length \(length)")
        }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0x0b, count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
        (Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        ([UInt8](repeating: 0xaa, count: 80), "Test Using Larger Than Block-Size Key - Hash Key First", "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
    ])
    func hmacSHA1(key: [UInt8], message: String, expected: String) {
        #expect(SHA256.hex(HMACSHA1.authenticationCode(key: key, message: Array(message.utf8))) == expected)
    }
}
