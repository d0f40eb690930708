import CLibCrypto

/// Blowfish's initial P-array and S-boxes: the first 1042 32-bit words of the fractional part of
/// π in hexadecimal (Schneier, "Description of a New Variable-Length Key, 64-Bit Block Cipher",
/// 1993), 0x243F6A88 first.
///
/// bcrypt's key schedule starts from this state, and libcrypto keeps its copy private, so the
/// words are computed here once (Machin's formula, π = 16·atan(1/5) − 4·atan(1/239), in libcrypto's
/// big-number arithmetic; a few milliseconds) instead of carrying a 1042-word table. A unit test
/// checks them against libcrypto's own Blowfish key setup.
enum BlowfishInitialState {
    /// 18 P-array words, then the four 256-word S-boxes.
    static let words: [UInt32] = computeFractionOfPi(words: 18 + 4 * 256)

    /// Extra low bits carried through the series so that its rounding errors stay below the
    /// last word wanted.
    private static let guardBits: Int32 = 64

    private static func computeFractionOfPi(words count: Int) -> [UInt32] {
        let fractionBits = Int32(count * 32)
        let context = BN_CTX_new()
        defer { BN_CTX_free(context) }
        // π scaled by 2^(fractionBits + guardBits), as an integer.
        let pi = BN_new()!
        defer { BN_free(pi) }
        let sixteenAtanFifth = arctangentOfReciprocal(5, scaleBits: fractionBits + guardBits)
        let fourAtan239th = arctangentOfReciprocal(239, scaleBits: fractionBits + guardBits)
        defer { BN_free(sixteenAtanFifth); BN_free(fourAtan239th) }
        guard BN_mul_word(sixteenAtanFifth, 16) == 1, BN_mul_word(fourAtan239th, 4) == 1,
              BN_sub(pi, sixteenAtanFifth, fourAtan239th) == 1, BN_rshift(pi, pi, guardBits) == 1,
              // Drop the integer part (3): keep the low fractionBits bits.
              BN_mask_bits(pi, fractionBits) == 1 else {
            fatalError("libcrypto could not compute Blowfish's initial state (out of memory?)")
        }
        var bytes = [UInt8](repeating: 0, count: count * 4)
        guard BN_bn2binpad(pi, &bytes, Int32(bytes.count)) == Int32(bytes.count) else {
            fatalError("libcrypto could not write Blowfish's initial state")
        }
        return stride(from: 0, to: bytes.count, by: 4).map { index in
            bytes[index..<index + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
    }

    /// atan(1/x) · 2^scaleBits, truncated, by its Taylor series: Σ (−1)^k / ((2k+1) · x^(2k+1)).
    private static func arctangentOfReciprocal(_ x: UInt, scaleBits: Int32) -> OpaquePointer {
        let sum = BN_new()!, power = BN_new()!, term = BN_new()!
        defer { BN_free(power); BN_free(term) }
        // power = 2^scaleBits / x^(2k+1), starting at k = 0.
        guard BN_set_word(sum, 0) == 1, BN_set_word(power, 1) == 1, BN_lshift(power, power, scaleBits) == 1 else {
            fatalError("libcrypto could not compute Blowfish's initial state (out of memory?)")
        }
        _ = BN_div_word(power, x)
        var k: UInt = 0
        while BN_is_zero(power) == 0 {
            guard BN_copy(term, power) != nil else { fatalError("libcrypto could not copy a big number") }
            _ = BN_div_word(term, 2 * k + 1)
            let added = k % 2 == 0 ? BN_add(sum, sum, term) : BN_sub(sum, sum, term)
            guard added == 1 else { fatalError("libcrypto could not add big numbers") }
            _ = BN_div_word(power, x * x)
            k += 1
        }
        return sum
    }
}
