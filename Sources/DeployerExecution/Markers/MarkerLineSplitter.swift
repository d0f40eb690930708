/// Cuts a script's streamed standard output into lines and hands each
/// `::deployer` marker on as soon as its line is complete.
///
/// A marker counts wherever it starts on its line: output before it (a login
/// shell's start-up file that prints without a newline, a host's garbage) must
/// not hide it — a lost `lock acquired` once made a run take its own lock for
/// another run's and leave it behind. Linear in the output (`LineBuffer`), and bounded: of a
/// line longer than `maximumLineBytes` only the end is kept (markers are short).
final class MarkerLineSplitter: @unchecked Sendable {
    /// The most of one line kept while waiting for its end.
    static let maximumLineBytes = 64 << 10

    private var lines = LineBuffer()
    private let onMarker: @Sendable (ScriptMarker) -> Void

    init(onMarker: @escaping @Sendable (ScriptMarker) -> Void) { self.onMarker = onMarker }

    /// Called from one transport callback at a time, in arrival order.
    func feed(_ bytes: [UInt8]) {
        lines.feed(bytes) { take($0) }
        let excess = lines.pending.count - Self.maximumLineBytes
        if excess > 0 { lines.pending.removeFirst(excess) }
    }

    /// The marker in one complete line, from the first place its prefix starts.
    private func take(_ line: ArraySlice<UInt8>) {
        let prefix = Array(ScriptMarker.prefix.utf8)
        guard line.count >= prefix.count else { return }
        for index in line.startIndex...(line.endIndex - prefix.count)
        where line[index] == prefix[0] && line[index..<(index + prefix.count)].elementsEqual(prefix) {
            if let marker = ScriptMarker(line: Substring(String(decoding: line[index...], as: UTF8.self))) { onMarker(marker) }
            return
        }
    }
}
