import CLibSSH2

/// Owns one `LIBSSH2_CHANNEL`; keeps its session alive so the channel is freed first.
///
/// Not Sendable: confined to its session's actor, like `SessionHandle`.
final class ChannelHandle {
    let raw: OpaquePointer
    let session: SessionHandle

    init(raw: OpaquePointer, session: SessionHandle) {
        self.raw = raw
        self.session = session
    }

    deinit { libssh2_channel_free(raw) }

    /// Reads into `buffer` from stream 0 (stdout) or 1 (stderr): bytes read, 0 at EOF, or a libssh2 error.
    func read(stream: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        libssh2_channel_read_ex(raw, stream, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
    }

    /// Writes to stdin: bytes accepted, or a libssh2 error.
    func write(_ bytes: UnsafeRawBufferPointer) -> Int {
        libssh2_channel_write_ex(raw, 0, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
    }

    /// How many more bytes of stdin the server accepts before it widens its window again.
    var sendWindow: Int { Int(libssh2_channel_window_write_ex(raw, nil)) }

    /// Whether the server has sent EOF.
    var isAtEOF: Bool { libssh2_channel_eof(raw) == 1 }

    /// The remote process's exit status (0 when it was killed by a signal: check `exitSignal` first).
    var exitStatus: Int32 { libssh2_channel_get_exit_status(raw) }

    /// The name of the signal that killed the remote process (`TERM`, `KILL`, …), if any.
    var exitSignal: String? {
        var name: UnsafeMutablePointer<CChar>?
        var length = 0
        guard libssh2_channel_get_exit_signal(raw, &name, &length, nil, nil, nil, nil) == 0, let name else { return nil }
        defer { free(name) }
        let signal = String(cString: name)
        return signal.isEmpty ? nil : signal
    }
}
