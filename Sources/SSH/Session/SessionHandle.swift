import CLibSSH2

/// Owns one `LIBSSH2_SESSION`.
///
/// Deliberately not Sendable: a session and its channels live inside one `SSHSession` actor,
/// whose executor is a single thread, so libssh2 never sees two threads at once.
final class SessionHandle {
    let raw: OpaquePointer

    /// A new session in non-blocking mode; nil when libssh2 cannot allocate one.
    init?() {
        guard LibSSH2.ensureInitialised(), let raw = shim_session_init() else { return nil }
        self.raw = raw
        libssh2_session_set_blocking(raw, 0)
    }

    deinit { libssh2_session_free(raw) }

    /// libssh2's last error code and message.
    var lastError: (code: Int32, message: String) {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(raw, &message, &length, 0)
        return (code, message.map { String(cString: $0) } ?? "")
    }

    /// `LIBSSH2_SESSION_BLOCK_INBOUND` / `OUTBOUND` bits of the last call that would block.
    var blockDirections: Int32 { libssh2_session_block_directions(raw) }

    /// Sets one method preference list (`LIBSSH2_METHOD_KEX`, …); returns libssh2's result.
    @discardableResult
    func setPreference(_ method: Int32, _ list: String) -> Int32 {
        libssh2_session_method_pref(raw, method, list)
    }

    /// The server's host key blob and its libssh2 type, after the handshake.
    var hostKey: (key: [UInt8], type: Int32)? {
        var length = 0
        var type: Int32 = 0
        guard let pointer = libssh2_session_hostkey(raw, &length, &type) else { return nil }
        return (pointer.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }, type)
    }
}
