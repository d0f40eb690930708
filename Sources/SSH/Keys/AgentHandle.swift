import CLibSSH2

/// Owns one `LIBSSH2_AGENT` connection to an ssh-agent; keeps its session alive.
///
/// Not Sendable: confined to its session's actor. Talking to the agent blocks briefly on a local
/// Unix socket, which is fine on the session's own thread.
final class AgentHandle {
    /// One key the agent holds.
    struct Identity {
        let pointer: UnsafeMutablePointer<libssh2_agent_publickey>
        let blob: [UInt8]
        let comment: String
    }

    let raw: OpaquePointer
    let session: SessionHandle
    private var connected = false

    /// Connects to the agent at `socketPath`; nil when it is not reachable.
    init?(session: SessionHandle, socketPath: String) {
        guard let raw = libssh2_agent_init(session.raw) else { return nil }
        self.raw = raw
        self.session = session
        libssh2_agent_set_identity_path(raw, socketPath)
        guard libssh2_agent_connect(raw) == 0 else { return nil }
        connected = true
    }

    deinit {
        if connected { libssh2_agent_disconnect(raw) }
        libssh2_agent_free(raw)
    }

    /// The keys the agent holds, in its order.
    func identities() -> [Identity] {
        guard libssh2_agent_list_identities(raw) == 0 else { return [] }
        var result: [Identity] = []
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        while true {
            var current: UnsafeMutablePointer<libssh2_agent_publickey>?
            guard libssh2_agent_get_identity(raw, &current, previous) == 0, let current else { break }
            let key = current.pointee
            let blob = Array(UnsafeBufferPointer(start: key.blob, count: key.blob_len))
            result.append(Identity(pointer: current, blob: blob, comment: key.comment.map { String(cString: $0) } ?? ""))
            previous = current
        }
        return result
    }

    /// One attempt to authenticate `user` with `identity`; a libssh2 result (EAGAIN possible).
    func authenticate(user: String, identity: Identity) -> Int32 {
        libssh2_agent_userauth(raw, user, identity.pointer)
    }
}
