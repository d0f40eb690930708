import CLibCrypto
import Testing
@testable import SSH

/// bcrypt_pbkdf, which opens passphrase-protected OpenSSH key files: known answers, and the
/// Blowfish state it starts from checked against libcrypto's own.
@Suite struct BcryptPBKDFTests {
    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// OpenBSD's regression vectors for bcrypt_pbkdf(3) (regress/lib/libutil/bcrypt_pbkdf), and one
    /// the size of an aes256-ctr key and IV with ssh-keygen's 16 rounds (output from OpenSSH's
    /// implementation), which spreads its bytes over two blocks.
    @Test(arguments: [
        ("password", "salt", 4, "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"),
        ("password", "\0", 4, "c12b566235eee04c212598970a579a67"),
        ("\0", "salt", 4, "6051be18c2f4f82cbf0efee5471b4bb9"),
        ("password\0", "salt\0", 4, "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050"),
        ("correct horse", "0123456789abcdef", 16,
         "a1c2879278f7e16f30578823fd9fb40348ed786a6e23033da5c7a193b7732d71bfa8e1cd182c9aa0d87c3ef53911eb76"),
    ])
    func knownAnswers(passphrase: String, salt: String, rounds: UInt32, expected: String) {
        let key = BcryptPBKDF.deriveKey(passphrase: Array(passphrase.utf8), salt: Array(salt.utf8), rounds: rounds, count: expected.count / 2)
        #expect(key.map(Self.hex) == expected)
    }

    @Test func refusesWhatBcryptPBKDFRefuses() {
        #expect(BcryptPBKDF.deriveKey(passphrase: [], salt: [1], rounds: 16, count: 48) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [], rounds: 16, count: 48) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 0, count: 48) == nil)
        #expect(BcryptPBKDF.deriveKey(passphrase: [1], salt: [1], rounds: 16, count: 1025) == nil)
    }

    /// The computed digits of π, expanded with a key as Blowfish's ordinary key schedule does,
    /// encipher as libcrypto's `BF_set_key` schedule does.
    @Test(arguments: ["0", "deployer", String(repeating: "k", count: 56)])
    func initialStateIsBlowfishs(key: String) {
        #expect(BlowfishInitialState.words.prefix(2) == [0x243F_6A88, 0x85A3_08D3])
        var ours = EksBlowfish()
        ours.expand(key: Array(key.utf8))
        var blocks: [UInt32] = [0, 0, 0x0123_4567, 0x89AB_CDEF, 0xFFFF_FFFF, 0x1]
        let plain = blocks
        ours.encrypt(&blocks)

        var theirs = BF_KEY()
        BF_set_key(&theirs, Int32(key.utf8.count), Array(key.utf8))
        var expected = plain
        expected.withUnsafeMutableBufferPointer { words in
            for index in stride(from: 0, to: words.count, by: 2) { BF_encrypt(words.baseAddress! + index, &theirs) }
        }
        #expect(blocks == expected)
        #expect(blocks != plain)
    }
}
