import CLibCrypto

/// Blowfish under bcrypt's expensive key schedule (EksBlowfish: Provos and Mazières, "A
/// Future-Adaptable Password Scheme", 1999), the core of `BcryptPBKDF`.
///
/// libcrypto's `BF_set_key` runs only the ordinary schedule (one key, no salt), so the schedule is
/// driven here over libcrypto's key structure, and every block is enciphered by libcrypto's
/// `BF_encrypt`.
struct EksBlowfish {
    /// The P-array and S-boxes: 18 + 1024 words, laid out in one run as libcrypto's `BF_KEY` holds them.
    private var schedule = BF_KEY()

    /// Blowfish's initial state (the digits of π).
    init() {
        withWords { words, _ in
            for (index, word) in BlowfishInitialState.words.enumerated() { words[index] = word }
        }
    }

    /// The key schedule's expansion step: XORs `key` (its bytes taken cyclically as big-endian
    /// words) into the P-array, then replaces the P-array and S-boxes, two words at a time, by the
    /// running encryption of a block that starts at zero and, when `salt` is given, has the next
    /// two salt words XORed into it before each encryption (`Blowfish_expandstate` of OpenBSD's
    /// bcrypt; without salt, `Blowfish_expand0state`).
    mutating func expand(key: [UInt8], salt: [UInt8]? = nil) {
        withWords { words, schedule in
            var keyWords = CyclicWords(key)
            for index in 0..<Int(BF_ROUNDS + 2) { words[index] ^= keyWords.next() }
            var saltWords = salt.map(CyclicWords.init)
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2) { block in
                block[0] = 0
                block[1] = 0
                for index in stride(from: 0, to: words.count, by: 2) {
                    if saltWords != nil {
                        block[0] ^= saltWords!.next()
                        block[1] ^= saltWords!.next()
                    }
                    BF_encrypt(block.baseAddress, schedule)
                    words[index] = block[0]
                    words[index + 1] = block[1]
                }
            }
        }
    }

    /// Enciphers `blocks` (pairs of words, left then right) in place, in ECB mode.
    mutating func encrypt(_ blocks: inout [UInt32]) {
        withWords { _, schedule in
            blocks.withUnsafeMutableBufferPointer { blocks in
                for index in stride(from: 0, to: blocks.count, by: 2) {
                    BF_encrypt(blocks.baseAddress! + index, schedule)
                }
            }
        }
    }

    /// The state as one buffer of words, and as libcrypto's structure for `BF_encrypt`.
    private mutating func withWords(_ body: (UnsafeMutableBufferPointer<UInt32>, UnsafePointer<BF_KEY>) -> Void) {
        withUnsafeMutablePointer(to: &schedule) { schedule in
            // BF_KEY is two arrays of BF_LONG (unsigned int), one after the other, with no padding.
            let count = MemoryLayout<BF_KEY>.size / MemoryLayout<UInt32>.stride
            let words = UnsafeMutableRawPointer(schedule).assumingMemoryBound(to: UInt32.self)
            body(UnsafeMutableBufferPointer(start: words, count: count), UnsafePointer(schedule))
        }
    }
}
