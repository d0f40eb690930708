/// Cuts one stream of a command's output into lines as it arrives, for `command_output` events.
///
/// Linear in the output (`LineBuffer`). A line longer than `maximumLineBytes` is handed on in pieces of at most that size,
/// cut between characters, so output without newlines is never held whole.
final class OutputLineSplitter: @unchecked Sendable {
    /// The most of one line held while waiting for its end.
    static let maximumLineBytes = 64 << 10

    private var lines = LineBuffer()
    private let onLine: @Sendable (String) -> Void

    init(onLine: @escaping @Sendable (String) -> Void) { self.onLine = onLine }

    /// Called from one transport callback at a time, in arrival order.
    func feed(_ bytes: [UInt8]) {
        lines.feed(bytes) { onLine(String(decoding: $0, as: UTF8.self)) }
        while lines.pending.count >= Self.maximumLineBytes {
            let cut = Self.characterBoundary(in: lines.pending, before: Self.maximumLineBytes)
            onLine(String(decoding: lines.pending[..<cut], as: UTF8.self))
            lines.pending.removeSubrange(..<cut)
        }
    }

    /// The command ended: hands on a last line that had no newline.
    func finish() {
        guard !lines.pending.isEmpty else { return }
        onLine(String(decoding: lines.pending, as: UTF8.self))
        lines.pending.removeAll()
    }

    /// The largest index not above `limit` that does not split a UTF-8 sequence (at most three bytes back).
    private static func characterBoundary(in bytes: [UInt8], before limit: Int) -> Int {
        var cut = limit
        while cut > limit - 3, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }
}
