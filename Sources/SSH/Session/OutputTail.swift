/// The last `limit` bytes of a stream, and how many came before them: what a command's result keeps
/// of its output, so that a host printing hundreds of megabytes cannot grow the controller's memory.
struct OutputTail {
    /// Bytes kept per stream: the end of the output, where a failure's explanation is.
    static let limit = 1 << 20

    private var buffer: [UInt8] = []
    /// Bytes cut from the front so far.
    private var dropped = 0

    /// Appends `bytes`; amortized linear (the buffer is cut back to `limit` once it holds twice that).
    mutating func append(_ bytes: [UInt8]) {
        buffer += bytes
        if buffer.count > 2 * Self.limit { cut() }
    }

    /// The kept bytes (at most `limit` of them), and how many came before them.
    var kept: (bytes: [UInt8], dropped: Int) {
        var copy = self
        copy.cut()
        return (copy.buffer, copy.dropped)
    }

    private mutating func cut() {
        guard buffer.count > Self.limit else { return }
        let excess = buffer.count - Self.limit
        dropped += excess
        buffer.removeFirst(excess)
    }
}
