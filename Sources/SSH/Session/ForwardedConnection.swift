import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// One connection a jump host forwards for a session behind it: a direct-tcpip channel of the
/// jump host's session and the local end of the Unix socket pair whose other end is the target
/// session's socket. The jump host's tunnel pump moves bytes between the two, one buffer at a time
/// in each direction, so a slow side holds the other back.
///
/// Not Sendable: confined to the jump host's session actor, like `ChannelHandle`.
final class ForwardedConnection {
    /// A libssh2 call that can leave a packet half-sent on the session's socket; the same call must
    /// come again, before any other on the session, to finish it (libssh2 1.10 answers any other
    /// packet with `LIBSSH2_ERROR_BAD_USE` meanwhile).
    enum Call {
        case read, write, sendEOF, close
    }

    /// What one step did.
    enum Step {
        /// Bytes or an end moved: step again before waiting.
        case progressed
        /// Nothing to do until the socket, the local end or a deadline wakes the pump.
        case idle
        /// `call` would block with part of its packet still to send: it alone goes next.
        case holdsSocket(Call)
        /// Both directions have ended, or one side failed: the connection is done.
        case finished
        /// libssh2 failed at the session's level (its socket broke): every tunnel is lost.
        case sessionBroken
    }

    /// libssh2 results that mean the session's socket failed, not just this channel.
    static let socketErrors: Set<Int32> = [LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV,
                                           LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_TIMEOUT]

    let channel: ChannelHandle
    /// The pump's end of the socket pair; closed by `finish()`.
    let local: Int32
    /// `host:port` forwarded to, for messages.
    let destination: String
    private var toLocal: ArraySlice<UInt8> = []
    private var toChannel: ArraySlice<UInt8> = []
    private var channelEOF = false
    private var localShutDown = false
    private var localEOF = false
    private var eofSent = false
    private var localClosed = false
    /// After our EOF went out, when the far end's own is given up on.
    private var drainDeadline: UInt64?
    /// Once the channel is being closed, when the far end's close is given up on.
    private var closeDeadline: UInt64?

    init(channel: ChannelHandle, local: Int32, destination: String) {
        self.channel = channel
        self.local = local
        self.destination = destination
    }

    /// The poll events the local end needs now: readable while there is room to take its bytes,
    /// writable while bytes wait for it.
    var localEvents: Int16 {
        if localClosed { return 0 }
        return (toChannel.isEmpty && !localEOF ? Int16(POLLIN) : 0) | (toLocal.isEmpty ? 0 : Int16(POLLOUT))
    }

    /// When the pump must look at this connection again although nothing woke it: the far end's
    /// EOF or close is given up on then.
    var deadline: UInt64? { closeDeadline ?? drainDeadline }

    /// Whether libssh2 already holds what this connection's next step would move: data or the far
    /// end's EOF queued for the channel, or send window for bytes waiting. Another call on the
    /// session (another channel's read, the pump's open) may have taken it off the socket, and then
    /// the socket wakes nobody for it.
    var hasQueuedWork: Bool {
        if localClosed || closeDeadline != nil { return false }
        if toLocal.isEmpty && !channelEOF && (libssh2_poll_channel_read(channel.raw, 0) != 0 || channel.isAtEOF) { return true }
        return !toChannel.isEmpty && channel.sendWindow > 0
    }

    /// Whether the local end is closed (its descriptor may already belong to something else).
    var isLocalClosed: Bool { localClosed }

    /// Moves what can move now, without blocking; with `only`, makes just that call (the one that
    /// left a packet half-sent). `socket` is the jump host session's.
    func step(_ buffer: UnsafeMutableRawBufferPointer, only: Call? = nil, socket: Int32, now: UInt64) -> Step {
        if let only { return retry(only, buffer, socket: socket, now: now) }
        if closeDeadline != nil { return closeChannel(socket: socket, now: now) }
        if let drainDeadline, now >= drainDeadline { return closeChannel(socket: socket, now: now) }
        var progressed = false
        if toLocal.isEmpty && !channelEOF {
            switch readChannel(buffer) {
            case .progressed: progressed = true
            case .idle: break
            case let other: return other
            }
        }
        if !toLocal.isEmpty {
            let sent = toLocal.withUnsafeBytes { send(local, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                toLocal = toLocal.dropFirst(sent)
                progressed = true
            } else if errno != EAGAIN && errno != EINTR {
                return closeChannel(socket: socket, now: now)
            }
        }
        if channelEOF && toLocal.isEmpty && !localShutDown {
            shutdown(local, Int32(SHUT_WR))
            localShutDown = true
            progressed = true
        }
        if toChannel.isEmpty && !localEOF {
            let count = recv(local, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                toChannel = Array(buffer[0..<count])[...]
                progressed = true
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                localEOF = true
                progressed = true
            }
        }
        switch writeAndEnd(socket: socket, now: now) {
        case .progressed: progressed = true
        case .idle: break
        case let other: return other
        }
        if localShutDown && eofSent { return closeChannel(socket: socket, now: now) }
        return progressed ? .progressed : .idle
    }

    /// Takes what the channel has for the local end; its EOF (or its failure) ends that direction.
    private func readChannel(_ buffer: UnsafeMutableRawBufferPointer) -> Step {
        let count = channel.read(stream: 0, into: buffer)
        if count > 0 {
            toLocal = Array(buffer[0..<count])[...]
            return .progressed
        }
        if count == Int(LIBSSH2_ERROR_EAGAIN) { return holdsSocket ? .holdsSocket(.read) : .idle }
        if count == 0 && !channel.isAtEOF { return .idle }
        // A read fails only when the session does (its socket, or a window adjust it could not send).
        if count < 0 { return .sessionBroken }
        channelEOF = true
        return .progressed
    }

    /// Sends what waits for the channel, then the channel's EOF once the local end has ended and
    /// the session's `socket` has room for the whole EOF packet (see `TCPSocket.hasRoom`).
    private func writeAndEnd(socket: Int32, now: UInt64) -> Step {
        var progressed = false
        if !toChannel.isEmpty {
            let written = toChannel.withUnsafeBytes { channel.write($0) }
            if written > 0 {
                toChannel = toChannel.dropFirst(written)
                progressed = true
            } else if written == Int(LIBSSH2_ERROR_EAGAIN) {
                if holdsSocket { return .holdsSocket(.write) }
            } else if Self.socketErrors.contains(Int32(written)) {
                return .sessionBroken
            } else if written < 0 {
                return closeChannel(socket: socket, now: now)
            }
        }
        if localEOF && toChannel.isEmpty && !eofSent && TCPSocket.hasRoom(socket, for: TCPSocket.stackPacketRoom) {
            let rc = libssh2_channel_send_eof(channel.raw)
            if LibSSH2.wouldBlock(rc) {
                if holdsSocket { return .holdsSocket(.sendEOF) }
            } else {
                // An error means the far end has gone already: nothing more to say to it either way.
                eofSent = true
                drainDeadline = Monotonic.after(SSHSession.tunnelDrainTime)
                progressed = true
            }
        }
        return progressed ? .progressed : .idle
    }

    /// Makes again the call that left a packet half-sent; once it has gone, the pump steps every
    /// connection again.
    private func retry(_ call: Call, _ buffer: UnsafeMutableRawBufferPointer, socket: Int32, now: UInt64) -> Step {
        let step: Step
        switch call {
        case .read: step = readChannel(buffer)
        case .write, .sendEOF: step = writeAndEnd(socket: socket, now: now)
        case .close: return closeChannel(socket: socket, now: now)
        }
        if case .idle = step { return .progressed }
        return step
    }

    /// Whether the session's socket holds part of a packet that the last call must finish.
    private var holdsSocket: Bool { channel.session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 }

    /// Closes the local end at once (the target session sees its socket end), then the channel
    /// (its EOF first, when not sent yet: only when the socket has room for it), waiting for the far
    /// end's close until the drain time has passed.
    private func closeChannel(socket: Int32, now: UInt64) -> Step {
        finish()
        if closeDeadline == nil { closeDeadline = Monotonic.after(SSHSession.tunnelDrainTime) }
        let pastDeadline = closeDeadline.map { now >= $0 } ?? true
        if !eofSent && !TCPSocket.hasRoom(socket, for: TCPSocket.stackPacketRoom) { return pastDeadline ? .finished : .idle }
        eofSent = true
        let rc = libssh2_channel_close(channel.raw)
        if LibSSH2.wouldBlock(rc) {
            if holdsSocket { return .holdsSocket(.close) }
            if !pastDeadline { return .idle }
        }
        return .finished
    }

    /// Closes the local end, once: the target session sees its socket end.
    func finish() {
        guard !localClosed else { return }
        localClosed = true
        Glibc.close(local)
    }
}
