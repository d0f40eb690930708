import DeployerReporting
import Foundation
import SSH
import Synchronization

/// Writes remote output for many hosts at once without interleaving lines.
///
/// On a terminal every line is prefixed by its host as it arrives (`web1 | …`); otherwise each
/// host's output is held and printed as one block when the host finishes, so logs read well.
/// Control characters a host prints are made visible (`^[` for ESC, see `displaySafe`) unless
/// `raw`, so a host cannot retitle, clear or move about the user's terminal.
final class SSHOutputPrinter: Sendable {
    private struct State {
        var partial: [String: [UInt8]] = [:]
        var held: [String: [UInt8]] = [:]
    }

    /// A line longer than this is printed in pieces of this size, each a line of its own, so that
    /// output without newlines is neither held whole nor copied again with every chunk.
    static let maximumLineBytes = 64 << 10

    private let state = Mutex(State())
    /// Prefix lines and print as they arrive (a terminal), or group per host.
    let streaming: Bool
    /// Pass output on byte for byte, control characters included.
    let raw: Bool
    private let width: Int

    /// `hosts` sets the prefix width.
    init(streaming: Bool, raw: Bool = false, hosts: [String]) {
        self.streaming = streaming
        self.raw = raw
        width = hosts.map(\.count).max() ?? 0
    }

    /// Output from `host`; stderr lines go to our stderr on a terminal.
    ///
    /// Linear in the output: only the new bytes are searched for line ends, and a partial line
    /// is appended to in place.
    func receive(_ chunk: SSHOutputChunk, from host: String) {
        let (bytes, fd): ([UInt8], Int32) = switch chunk {
        case .stdout(let bytes): (bytes, 1)
        case .stderr(let bytes): (bytes, 2)
        }
        state.withLock { state in
            guard streaming else {
                state.held[host, default: []].append(contentsOf: bytes)
                return
            }
            let key = "\(fd)\(host)"
            let prefix = prefix(host)
            var pending = state.partial.removeValue(forKey: key) ?? []
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + pending.count + 64 * prefix.count)
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                out += prefix
                if pending.isEmpty {
                    appendLine(bytes[start..<newline], to: &out)
                } else {
                    pending += bytes[start..<newline]
                    appendLine(pending[...], to: &out)
                    pending.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            pending += bytes[start...]
            while pending.count >= Self.maximumLineBytes {
                let cut = Self.characterBoundary(in: pending, before: Self.maximumLineBytes)
                out += prefix
                appendLine(pending[..<cut], to: &out)
                pending.removeSubrange(..<cut)
            }
            state.partial[key] = pending
            Self.write(out, to: fd)
        }
    }

    /// The host is done: flush its last partial lines, or print its block with a header.
    func finish(_ host: String, status: String) {
        state.withLock { state in
            if streaming {
                for fd: Int32 in [1, 2] {
                    if let rest = state.partial.removeValue(forKey: "\(fd)\(host)"), !rest.isEmpty {
                        var line = prefix(host)
                        appendLine(rest[...], to: &line)
                        Self.write(line, to: fd)
                    }
                }
            } else {
                var block = Array("== \(host) (\(status))\n".utf8)
                if var held = state.held.removeValue(forKey: host), !held.isEmpty {
                    if held.last != UInt8(ascii: "\n") { held.append(UInt8(ascii: "\n")) }
                    if raw {
                        block += held
                    } else {
                        for line in held.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                            appendLine(line, to: &block)
                        }
                    }
                }
                Self.write(block, to: 1)
            }
        }
    }

    /// A line for our own stderr (errors, the summary's details), never interleaved with output.
    func note(_ text: String, to fd: Int32 = 2) {
        state.withLock { _ in Self.write(Array((text + "\n").utf8), to: fd) }
    }

    private func prefix(_ host: String) -> [UInt8] {
        Array((host.padding(toLength: width, withPad: " ", startingAt: 0) + " | ").utf8)
    }

    /// Appends one line and its newline as printed: as received when `raw` or plain ASCII text,
    /// else decoded as UTF-8 (invalid bytes replaced), a final carriage return dropped and other
    /// control characters made visible.
    private func appendLine(_ line: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let plain = raw || line.withUnsafeBufferPointer { bytes in
            !bytes.contains { $0 < 0x20 && $0 != 0x09 || $0 >= 0x7F }
        }
        if plain {
            out += line
        } else {
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            out += text.displaySafe(keepingTabs: true).utf8
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// The largest index not above `limit` that does not split a UTF-8 sequence (at most three bytes back).
    private static func characterBoundary(in bytes: [UInt8], before limit: Int) -> Int {
        var cut = limit
        while cut > limit - 3, cut < bytes.count, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return cut
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
