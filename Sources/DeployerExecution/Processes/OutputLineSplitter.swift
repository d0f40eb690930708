/// Cuts one stream of a command's output into lines as it arrives, for `command_output` events.
///
/// Linear in the output: only new bytes are searched for line ends and a partial line is appended
/// to in place. A line longer than `maximumLineBytes` is handed on in pieces of at most that size,
/// cut between characters, so output without newlines is never held whole.
final class OutputLineSplitter: @unchecked Sendable {
    /// The most of one line held while waiting for its end.
    static let maximumLineBytes = 64 << 10

    private var pending: [UInt8] = []
    private let onLine: @Sendable (String) -> Void

    init(onLine: @escaping @Sendable (String) -> Void) { self.onLine = onLine }

    /// Called from one transport callback at a time, in arrival order.
    func feed(_ bytes: [UInt8]) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                onLine(String(decoding: bytes[start..<newline], as: UTF8.self))
            } else {
                pending += bytes[start..<newline]
                onLine(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        pending += bytes[start...]
        while pending.count >= Self.maximumLineBytes {
            let cut = Self.characterBoundary(in: pending, before: Self.maximumLineBytes)
            onLine(String(decoding: pending[..<cut], as: UTF8.self))
            pending.removeSubrange(..<cut)
        }
    }

    /// The command ended: hands on a last line that had no newline.
    func finish() {
        guard !pending.isEmpty else { return }
        onLine(String(decoding: pending, as: UTF8.self))
        pending.removeAll()
    }

    /// The largest index not above `limit` that does not split a UTF-8 sequence (at most three bytes back).
    private static func characterBoundary(in bytes: [UInt8], before limit: Int) -> Int {
        var cut = limit
        while cut > limit - 3, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}
