import Foundation

/// One 512-byte POSIX ustar header of a regular file, as `tar` writes and reads it: the container of
/// a prebuilt artifact file (`ArtifactFile`) is a plain tar that `tar -tf` lists and `tar -xf` unpacks.
struct TarHeader: Hashable, Sendable {
    static let blockSize = 512
    /// The largest size the header's 11 octal digits hold (8 GiB - 1).
    static let maxSize = (1 << 33) - 1

    var name: String
    var size: Int

    /// The header block: mode 0644, owner 0, time 0, the checksum filled in.
    var encoded: [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, digits: Int) -> String {
            let text = String(value, radix: 8)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(octal(size, digits: 11), at: 124)
        put(octal(0, digits: 11), at: 136)
        put("        ", at: 148)
        put("0", at: 156)
        put("ustar", at: 257)
        put("00", at: 263)
        put(octal(block.reduce(0) { $0 + Int($1) }, digits: 6), at: 148)
        block[154] = 0
        block[155] = 0x20
        return block
    }

    /// The header in `block`, or nil when it is not a ustar header of a regular file whose checksum holds.
    init?(decoding block: [UInt8]) {
        guard block.count == Self.blockSize, Array(block[257..<262]) == Array("ustar".utf8),
              block[156] == UInt8(ascii: "0") || block[156] == 0 else { return nil }
        func field(_ range: Range<Int>) -> String {
            String(decoding: block[range].prefix { $0 != 0 }, as: UTF8.self)
        }
        func number(_ range: Range<Int>) -> Int? {
            Int(field(range).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        var unsigned = block
        for index in 148..<156 { unsigned[index] = 0x20 }
        guard let checksum = number(148..<156), checksum == unsigned.reduce(0, { $0 + Int($1) }),
              let size = number(124..<136) else { return nil }
        self.name = field(0..<100)
        self.size = size
    }

    init(name: String, size: Int) { self.name = name; self.size = size }

    /// Zero bytes that fill the last block of a member of `size` bytes.
    static func padding(after size: Int) -> Int { (blockSize - size % blockSize) % blockSize }
}

