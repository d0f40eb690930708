import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// How long a tunnel whose local end has closed waits for the far end to close too.
    static let tunnelDrainTime: Duration = .seconds(2)

    /// What a tunnel pump must finish before anything else may use the session: the call that
    /// left part of a packet in libssh2's send buffer.
    enum TunnelSocketHolder {
        case open
        case connection(ForwardedConnection, ForwardedConnection.Call)
    }

    /// Asks this session's server to connect to `host:port` (a direct-tcpip channel) and returns
    /// one end of a Unix socket pair whose other end this session's tunnel pump joins to the
    /// channel. Used by a session jumping through this one; many may share it.
    ///
    /// Opens go out one at a time, in the order asked: libssh2 1.10 keeps one channel open in
    /// flight per session and would hand a second caller the first one's channel.
    /// `deadline` ends the target's `timeout` (its `ConnectTimeout`, which an error names).
    func openTunnel(host targetHost: String, port: Int, deadline: UInt64, timeout: Duration) async throws -> Int32 {
        _ = try liveHandle()
        return try await withCheckedThrowingContinuation { answer in
            tunnelRequests.append(TunnelRequest(host: targetHost, port: port, deadline: deadline, timeout: timeout, answer: answer))
            startTunnelPump()
        }
    }

    /// Waits for the tunnels this session carries to end (their local ends close first).
    func finishTunnels() async {
        await tunnelPump?.value
    }

    private func startTunnelPump() {
        guard tunnelPump == nil else { return }
        tunnelPump = Task { await self.pumpTunnels() }
    }

    /// Drives every tunnel of this session and the opens asked for, in one loop on the session's
    /// thread: whatever can move moves; then it sleeps until the session socket, a local end or a
    /// deadline wakes it. A call that leaves a packet half-sent is made again before anything
    /// else touches the session (libssh2 1.10 refuses any other packet meanwhile). Ends when no
    /// tunnel and no open anyone waits for is left, or when the session fails: then every tunnel's local end is
    /// closed and every open waiting is answered with the failure, so every host behind this one
    /// learns at once.
    private func pumpTunnels() async {
        loop.beginOperation()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer {
            buffer.deallocate()
            loop.tunnelEvents = [:]
            loop.endOperation()
            tunnelPump = nil
        }
        var holder: TunnelSocketHolder?
        // An open whose asker gave up does not keep the pump going: the jump host may take minutes to
        // give up its own connect, and a session closing would wait for it (the next pump, if any,
        // finishes that open and closes its channel). A half-sent packet is always finished.
        while !forwarded.isEmpty || !tunnelRequests.isEmpty || openingTunnel?.request != nil || holder != nil {
            guard let session = handle, failure == nil else { break }
            let now = Monotonic.now()
            var progressed = false
            switch holder {
            case .open:
                holder = nil
                progressed = advanceOpen(session, now: now, holder: &holder)
            case .connection(let connection, let call):
                holder = nil
                progressed = advance(connection, only: call, buffer, now: now, holder: &holder)
            case nil:
                progressed = advanceOpen(session, now: now, holder: &holder)
                for connection in forwarded where holder == nil {
                    if advance(connection, buffer, now: now, holder: &holder) { progressed = true }
                }
            }
            // Each libssh2 call reads whatever the socket holds, for any channel: a connection's read
            // may have taken the open's answer, or another connection's data or window, into libssh2's
            // queue, where the socket no longer shows it. Look once more before sleeping on the socket.
            if !progressed, holder == nil {
                progressed = advanceOpen(session, now: now, holder: &holder)
                    || (holder == nil && forwarded.contains { $0.hasQueuedWork })
            }
            if progressed {
                loop.noteProgress()
                await Task.yield()
                continue
            }
            // While a packet is half-sent only the socket matters: the local ends wait.
            if holder == nil {
                for connection in forwarded where connection.localEvents != 0 { loop.tunnelEvents[connection.local] = connection.localEvents }
            }
            do {
                try await waitForSocket(until: nextTunnelDeadline) { SSHError(.timeout, host: self.host, "a tunnel deadline") }
            } catch is SSHError where failure == nil {
                // A deadline: the next round expires what is due.
            } catch {
                break
            }
            loop.tunnelEvents = [:]
        }
        endTunnels()
    }

    /// One step of `connection`; false when nothing moved. Forgets it once it has finished.
    private func advance(_ connection: ForwardedConnection, only call: ForwardedConnection.Call? = nil,
                         _ buffer: UnsafeMutableRawBufferPointer, now: UInt64, holder: inout TunnelSocketHolder?) -> Bool {
        switch connection.step(buffer, only: call, socket: socketFD, now: now) {
        case .progressed:
            return true
        case .idle:
            return false
        case .holdsSocket(let call):
            holder = .connection(connection, call)
            return false
        case .finished:
            forwarded.removeAll { $0 === connection }
            note("tunnel to \(connection.destination) closed")
            return true
        case .sessionBroken:
            fail(libraryError(.disconnected, "its socket failed", fix: "check the host and the network path to it"))
            return true
        }
    }

    /// Answers the opens whose deadline has passed, and moves the open in flight (the first one
    /// asked) one step; false when nothing moved.
    private func advanceOpen(_ session: SessionHandle, now: UInt64, holder: inout TunnelSocketHolder?) -> Bool {
        var progressed = false
        tunnelRequests.removeAll { request in
            guard now >= request.deadline else { return false }
            request.answer.resume(throwing: tunnelTimeout(request))
            progressed = true
            return true
        }
        if let request = openingTunnel?.request, now >= request.deadline {
            // libssh2 still has this open in flight: it is finished below and its channel closed.
            request.answer.resume(throwing: tunnelTimeout(request))
            openingTunnel?.request = nil
            progressed = true
        }
        if openingTunnel == nil, !tunnelRequests.isEmpty {
            let next = tunnelRequests.removeFirst()
            openingTunnel = (next.host, next.port, next)
        }
        guard let opening = openingTunnel else { return progressed }
        let destination = opening.host.contains(":") ? "[\(opening.host)]:\(opening.port)" : "\(opening.host):\(opening.port)"
        guard let raw = libssh2_channel_direct_tcpip_ex(session.raw, opening.host, Int32(opening.port), "127.0.0.1", 22) else {
            guard libssh2_session_last_errno(session.raw) != LIBSSH2_ERROR_EAGAIN else {
                if session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { holder = .open }
                return progressed
            }
            openingTunnel = nil
            opening.request?.answer.resume(throwing: libraryError(
                .unreachable, "cannot forward a connection to \(destination)",
                fix: "the jump host's sshd must allow it (AllowTcpForwarding), and \(destination) must accept connections from it"))
            return true
        }
        openingTunnel = nil
        let channel = ChannelHandle(raw: raw, session: session)
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            let error = SSHError(.local, host: host, "cannot create a socket pair for the tunnel: \(TCPSocket.describe(errno))",
                                 fix: "the controller may be out of file descriptors (ulimit -n)")
            opening.request?.answer.resume(throwing: error)
            _ = libssh2_channel_close(channel.raw)
            return true
        }
        forwarded.append(ForwardedConnection(channel: channel, local: ends[0], destination: destination))
        if let request = opening.request {
            note("tunnel to \(destination) opened")
            request.answer.resume(returning: ends[1])
        } else {
            // Asked for by a connection that gave up waiting: its end closes, so the tunnel ends.
            Glibc.close(ends[1])
        }
        return true
    }

    /// The error for an open that did not come in time: it names the target's `ConnectTimeout`, not
    /// this jump host's.
    private func tunnelTimeout(_ request: TunnelRequest) -> SSHError {
        SSHError(.unreachable, host: host, "no forwarded connection to \(request.destination) within \(request.timeout)",
                 fix: "check that \(request.destination) is reachable from \(host)")
    }

    /// The earliest moment a tunnel or an open waiting must be looked at again.
    private var nextTunnelDeadline: UInt64? {
        let deadlines = forwarded.compactMap(\.deadline) + tunnelRequests.map(\.deadline) + [openingTunnel?.request?.deadline].compactMap { $0 }
        return deadlines.min()
    }

    /// After the session failed or closed: closes every tunnel's local end and answers every open
    /// waiting with the failure.
    private func endTunnels() {
        let error = failure ?? SSHError(.disconnected, host: host, "the session is closed")
        for connection in forwarded { connection.finish() }
        forwarded.removeAll()
        for request in tunnelRequests { request.answer.resume(throwing: error) }
        tunnelRequests.removeAll()
        openingTunnel?.request?.answer.resume(throwing: error)
        openingTunnel = nil
    }
}
