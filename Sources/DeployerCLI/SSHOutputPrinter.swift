import Foundation
import SSH
import Synchronization

/// Writes remote output for many hosts at once without interleaving lines.
///
/// On a terminal every line is prefixed by its host as it arrives (`web1 | …`); otherwise each
/// host's output is held and printed as one block when the host finishes, so logs read well.
final class SSHOutputPrinter: Sendable {
    private struct State {
        var partial: [String: [UInt8]] = [:]
        var held: [String: [UInt8]] = [:]
    }

    private let state = Mutex(State())
    /// Prefix lines and print as they arrive (a terminal), or group per host.
    let streaming: Bool
    private let width: Int

    /// `hosts` sets the prefix width.
    init(streaming: Bool, hosts: [String]) {
        self.streaming = streaming
        width = hosts.map(\.count).max() ?? 0
    }

    /// Output from `host`; stderr lines go to our stderr on a terminal.
    func receive(_ chunk: SSHOutputChunk, from host: String) {
        let (bytes, fd): ([UInt8], Int32) = switch chunk {
        case .stdout(let bytes): (bytes, 1)
        case .stderr(let bytes): (bytes, 2)
        }
        state.withLock { state in
            guard streaming else {
                state.held[host, default: []] += bytes
                return
            }
            let key = "\(fd)\(host)"
            var pending = state.partial[key, default: []] + bytes
            var out: [UInt8] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                out += prefix(host) + pending[...newline]
                pending.removeSubrange(...newline)
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
                        Self.write(prefix(host) + rest + [UInt8(ascii: "\n")], to: fd)
                    }
                }
            } else {
                var block = Array("== \(host) (\(status))\n".utf8)
                if var held = state.held.removeValue(forKey: host), !held.isEmpty {
                    if held.last != UInt8(ascii: "\n") { held.append(UInt8(ascii: "\n")) }
                    block += held
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

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }
}
