import DeployerModel
import Foundation

/// Cuts a build step's output into lines, reports each one (`build_output`, secrets masked) as soon
/// as it is complete, and keeps the last few for the failure message. A line longer than
/// `maximumLineBytes` is reported in pieces of that size, so memory stays bounded.
final class BuildOutputLines: @unchecked Sendable {
    static let maximumLineBytes = 16 << 10

    private let step: String
    private let reporter: any Reporter
    private let mask: SecretMask
    private let keep: Int
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var kept: [String] = []

    init(step: String, reporter: any Reporter, mask: SecretMask, keep: Int) {
        self.step = step; self.reporter = reporter; self.mask = mask; self.keep = keep
    }

    /// Called by one reader, in arrival order.
    func feed(_ bytes: [UInt8]) {
        pending += bytes
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            emit(pending[start..<newline])
            start = newline + 1
        }
        pending.removeFirst(start)
        while pending.count > Self.maximumLineBytes {
            emit(pending.prefix(Self.maximumLineBytes))
            pending.removeFirst(Self.maximumLineBytes)
        }
    }

    /// The output ended: a last line without a newline is reported too.
    func finish() {
        if !pending.isEmpty { emit(pending[...]) }
        pending = []
    }

    /// The last lines reported (at most `keep`).
    var tail: [String] { lock.withLock { kept } }

    private func emit(_ bytes: ArraySlice<UInt8>) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let line = mask.apply(text)
        lock.withLock {
            kept.append(line)
            if kept.count > keep { kept.removeFirst(kept.count - keep) }
        }
        reporter.report(.buildOutput(step: step, line: line))
    }
}
