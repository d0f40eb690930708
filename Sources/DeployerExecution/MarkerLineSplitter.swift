/// Cuts a script's streamed standard output into lines and hands each
/// `::deployer` marker on as soon as its line is complete.
final class MarkerLineSplitter: @unchecked Sendable {
    private var pending: [UInt8] = []
    private let onMarker: @Sendable (ScriptMarker) -> Void

    init(onMarker: @escaping @Sendable (ScriptMarker) -> Void) { self.onMarker = onMarker }

    /// Called from one transport callback at a time, in arrival order.
    func feed(_ bytes: [UInt8]) {
        pending.append(contentsOf: bytes)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if let marker = ScriptMarker(line: Substring(line)) { onMarker(marker) }
        }
    }
}
