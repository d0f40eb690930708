/// Reads SSH wire-format values (RFC 4251: uint32, length-prefixed strings) from bytes.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Skips `count` bytes; false when fewer remain.
    mutating func skip(_ count: Int) -> Bool {
        guard bytes.count - offset >= count else { return false }
        offset += count
        return true
    }

    /// A big-endian uint32, or nil at the end.
    mutating func uint32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return value
    }

    /// The bytes not read yet.
    var remaining: ArraySlice<UInt8> { bytes[offset...] }

    /// A uint32-length-prefixed string, or nil when truncated.
    mutating func string() -> [UInt8]? {
        guard let length = uint32().map(Int.init), bytes.count - offset >= length else { return nil }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }
}
