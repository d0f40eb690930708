import Foundation

/// Collects what a reporter writes, for assertions.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [String] = []

    func write(_ text: String) {
        lock.withLock { chunks.append(text) }
    }

    var text: String { lock.withLock { chunks.joined() } }
}
