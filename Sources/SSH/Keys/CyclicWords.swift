/// Bytes read as big-endian 32-bit words, starting over at the first byte after the last
/// (`Blowfish_stream2word` of OpenBSD's blf.c).
struct CyclicWords {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty, "Blowfish key and salt are never empty")
        self.bytes = bytes
    }

    mutating func next() -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            word = word << 8 | UInt32(bytes[offset])
            offset = (offset + 1) % bytes.count
        }
        return word
    }
}
