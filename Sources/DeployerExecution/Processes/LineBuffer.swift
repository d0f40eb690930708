/// The complete lines of a byte stream as it arrives, and the partial line after them.
///
/// Linear in the output: only new bytes are searched for line ends, a line that arrives whole is
/// handed on as a slice of its chunk, and a partial line is appended to in place. What to do with
/// a partial line that grows too long is the owner's: `pending` is theirs to trim.
struct LineBuffer {
    /// The bytes after the last newline, waiting for theirs.
    var pending: [UInt8] = []

    /// Calls `line` with each line `bytes` completes (without its newline), in order, and keeps
    /// what follows the last newline in `pending`.
    mutating func feed(_ bytes: [UInt8], line: (ArraySlice<UInt8>) -> Void) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                line(bytes[start..<newline])
            } else {
                pending += bytes[start..<newline]
                line(pending[...])
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        pending += bytes[start...]
    }
}
