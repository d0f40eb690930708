/// Writes SSH wire-format values (RFC 4251: uint32, length-prefixed strings, mpints).
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    /// A big-endian uint32.
    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    /// One byte.
    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// A uint32-length-prefixed string.
    mutating func string(_ value: some Collection<UInt8>) {
        uint32(UInt32(value.count))
        bytes += value
    }

    /// An unsigned big-endian integer as an mpint: leading zeros dropped, one zero byte added
    /// when the top bit is set (it would read as negative).
    mutating func mpint(_ magnitude: [UInt8]) {
        let trimmed = magnitude.drop { $0 == 0 }
        string(trimmed.first.map { $0 & 0x80 != 0 } == true ? [0] + trimmed : Array(trimmed))
    }
}
