import DeployerModel
import Foundation
import Synchronization

/// Cuts a build step's output into lines, reports each one (`build_output`, secrets masked) as soon
/// as it is complete, and keeps the last few for the failure message. A line longer than
/// `maximumLineBytes` is reported in pieces of that size, so memory stays bounded.
final class BuildOutputLines: Sendable {
    static let maximumLineBytes = 16 << 10

    private struct Lines {
        /// The start of a line whose end has not arrived yet.
        var pending: [UInt8] = []
        /// The last lines reported, masked.
        var kept: [String] = []
    }

    private let step: String
    private let reporter: any Reporter
    private let mask: SecretMask
    private let keep: Int
    private let lines = Mutex(Lines())

    init(step: String, reporter: any Reporter, mask: SecretMask, keep: Int) {
        self.step = step; self.reporter = reporter; self.mask = mask; self.keep = keep
    }

    /// Called by one reader, in arrival order.
    func feed(_ bytes: [UInt8]) {
        let complete = lines.withLock { lines -> [String] in
            lines.pending += bytes
            var complete: [String] = []
            var start = lines.pending.startIndex
            while let newline = lines.pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                complete.append(Self.text(lines.pending[start..<newline]))
                start = newline + 1
            }
            lines.pending.removeFirst(start)
            while lines.pending.count > Self.maximumLineBytes {
                complete.append(Self.text(lines.pending.prefix(Self.maximumLineBytes)))
                lines.pending.removeFirst(Self.maximumLineBytes)
            }
            return complete
        }
        complete.forEach(emit)
    }

    /// The output ended: a last line without a newline is reported too.
    func finish() {
        let last = lines.withLock { lines -> String? in
            defer { lines.pending = [] }
            return lines.pending.isEmpty ? nil : Self.text(lines.pending[...])
        }
        last.map(emit)
    }

    /// The last lines reported (at most `keep`).
    var tail: [String] { lines.withLock { $0.kept } }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }

    private func emit(_ text: String) {
        let line = mask.apply(text)
        lines.withLock { lines in
            lines.kept.append(line)
            if lines.kept.count > keep { lines.kept.removeFirst(lines.kept.count - keep) }
        }
        reporter.report(.buildOutput(step: step, line: line))
    }
}
