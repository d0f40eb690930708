/// The sessions to `ProxyJump` hosts that the connections of one command share: every host whose
/// last hop resolves to the same jump host (same user, host name, port, identities and hops
/// before it: `JumpHostIdentity`) rides one authenticated session to it, with a direct-tcpip
/// channel of its own, instead of a connection per host.
///
/// A bastion sees one connection, so its sshd's `MaxStartups` (unauthenticated connections) never
/// refuses the fleet behind it; direct-tcpip channels are not sessions, so its `MaxSessions` does
/// not apply to them. The session is made when the first host behind it connects (the others wait
/// for that one attempt and share its outcome, error included), and closed when the last one
/// closes. A session that has failed is not handed out again: the next host to connect makes a
/// new one.
public actor JumpHostSessions {
    private struct Shared {
        let session: SSHSession
        let connected: Task<Void, any Error>
        /// Connections that gave up waiting for `connected`; when all have, it is cancelled.
        var cancelled = 0
    }

    private var shared: [JumpHostIdentity: Shared] = [:]
    /// Connections riding each session (by object identity), including ones still waiting for it.
    private var riders: [ObjectIdentifier: Int] = [:]

    public init() {}

    /// The connected, authenticated session to `hop`: the shared one, made now if there is none
    /// or the last one failed. Every session returned must be given back with `release`.
    func session(for hop: SSHTarget) async throws -> SSHSession {
        let session = try await connectedSession(for: hop)
        guard await session.hasFailed else { return session }
        // It broke after connecting (the bastion restarted, say): make, or wait for, a new one.
        forget(JumpHostIdentity(hop), session)
        await release(session)
        return try await connectedSession(for: hop)
    }

    /// Gives back a session `session(for:)` returned; the last one closes it.
    func release(_ session: SSHSession) async {
        let id = ObjectIdentifier(session)
        let left = (riders[id] ?? 1) - 1
        riders[id] = left > 0 ? left : nil
        guard left <= 0 else { return }
        shared = shared.filter { $0.value.session !== session }
        await session.close()
    }

    private func connectedSession(for hop: SSHTarget) async throws -> SSHSession {
        let identity = JumpHostIdentity(hop)
        let entry = shared[identity] ?? make(hop, identity)
        riders[ObjectIdentifier(entry.session), default: 0] += 1
        do {
            try await withTaskCancellationHandler {
                try await entry.connected.value
            } onCancel: {
                Task { await self.gaveUp(identity, entry.session) }
            }
            try Task.checkCancellation()
        } catch {
            // A connection cancelled while the connect goes on leaves the session to the others.
            if case .failure = await entry.connected.result { forget(identity, entry.session) }
            await release(entry.session)
            throw error
        }
        return entry.session
    }

    private func make(_ hop: SSHTarget, _ identity: JumpHostIdentity) -> Shared {
        let session = SSHSession(target: hop, jumpHosts: self)
        let entry = Shared(session: session, connected: Task { try await session.connect() })
        shared[identity] = entry
        return entry
    }

    /// A connection waiting for `session` was cancelled: once all of them are, the connect stops.
    private func gaveUp(_ identity: JumpHostIdentity, _ session: SSHSession) {
        guard let entry = shared[identity], entry.session === session else { return }
        shared[identity]?.cancelled += 1
        if entry.cancelled + 1 >= riders[ObjectIdentifier(session)] ?? 0 { entry.connected.cancel() }
    }

    /// Stops handing out `session` (it failed to connect, or broke).
    private func forget(_ identity: JumpHostIdentity, _ session: SSHSession) {
        if shared[identity]?.session === session { shared[identity] = nil }
    }
}
