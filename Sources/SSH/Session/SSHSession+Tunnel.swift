import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// How long a tunnel whose local end has closed waits for the far end to close too.
    static let tunnelDrainTime: Duration = .seconds(2)

    /// Opens a direct-tcpip channel to `host:port` (resolved and connected by the server) and
    /// returns one end of a Unix socket pair whose other end this session's thread pumps to and
    /// from the channel until both directions have ended. Used by a session jumping through this one.
    func openTunnel(host targetHost: String, port: Int, deadline: UInt64) async throws -> Int32 {
        let session = try liveHandle()
        loop.beginOperation()
        defer { loop.endOperation() }
        let timedOut = {
            SSHError(.unreachable, host: self.host, "no forwarded connection to \(targetHost):\(port) within \(self.target.connectTimeout)",
                     fix: "check that \(targetHost):\(port) is reachable from \(self.host)")
        }
        let rawChannel = try await retrying(until: deadline, onDeadline: timedOut, wouldBlock: {
            $0 == nil && libssh2_session_last_errno(session.raw) == LIBSSH2_ERROR_EAGAIN
        }) { libssh2_channel_direct_tcpip_ex(session.raw, targetHost, Int32(port), "127.0.0.1", 22) }
        guard let rawChannel else {
            throw libraryError(.unreachable, "cannot forward a connection to \(targetHost):\(port)",
                               fix: "the jump host's sshd must allow it (AllowTcpForwarding), and \(targetHost):\(port) must accept connections from it")
        }
        let channel = ChannelHandle(raw: rawChannel, session: session)
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            _ = libssh2_channel_close(channel.raw)
            throw SSHError(.local, host: host, "cannot create a socket pair for the tunnel: \(TCPSocket.describe(errno))")
        }
        let local = ends[0]
        tunnelPumps.append(Task { await self.pump(channel, local: local) })
        return ends[1]
    }

    /// Copies bytes both ways between `channel` and the socket `local`, one buffer at a time in
    /// each direction (so a slow reader holds the writer back), passing EOF on: the channel's EOF
    /// shuts down the socket's write side, the socket's EOF sends the channel's EOF. Ends when
    /// both directions have ended, either side fails, or the session closes; then closes both.
    private func pump(_ channel: ChannelHandle, local: Int32) async {
        loop.beginOperation()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        defer {
            buffer.deallocate()
            loop.tunnelEvents[local] = nil
            Glibc.close(local)
            loop.endOperation()
        }
        var toLocal: ArraySlice<UInt8> = []
        var toChannel: ArraySlice<UInt8> = []
        var channelEOF = false, localShutDown = false, localEOF = false, eofSent = false
        var drainDeadline: UInt64?
        pumping: while !(localShutDown && eofSent) {
            var progressed = false
            if toLocal.isEmpty && !channelEOF {
                let count = channel.read(stream: 0, into: buffer)
                if count > 0 {
                    toLocal = Array(buffer[0..<count])[...]
                    progressed = true
                } else if count == 0 ? channel.isAtEOF : count != Int(LIBSSH2_ERROR_EAGAIN) {
                    channelEOF = true
                    progressed = true
                }
            }
            if !toLocal.isEmpty {
                let sent = toLocal.withUnsafeBytes { send(local, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent > 0 {
                    toLocal = toLocal.dropFirst(sent)
                    progressed = true
                } else if errno != EAGAIN && errno != EINTR {
                    break pumping
                }
            }
            if channelEOF && toLocal.isEmpty && !localShutDown {
                shutdown(local, Int32(SHUT_WR))
                localShutDown = true
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
            if !toChannel.isEmpty {
                let written = toChannel.withUnsafeBytes { channel.write($0) }
                if written > 0 {
                    toChannel = toChannel.dropFirst(written)
                    progressed = true
                } else if written != Int(LIBSSH2_ERROR_EAGAIN) {
                    break pumping
                }
            }
            if localEOF && toChannel.isEmpty && !eofSent {
                let rc = libssh2_channel_send_eof(channel.raw)
                if !LibSSH2.wouldBlock(rc) {
                    eofSent = true
                    drainDeadline = Monotonic.after(Self.tunnelDrainTime)
                    progressed = true
                }
            }
            if progressed {
                loop.noteProgress()
                await Task.yield()
                continue
            }
            let wantsInput = toChannel.isEmpty && !localEOF
            loop.tunnelEvents[local] = (wantsInput ? Int16(POLLIN) : 0) | (toLocal.isEmpty ? 0 : Int16(POLLOUT))
            do {
                try await waitForSocket(until: drainDeadline) { SSHError(.timeout, host: self.host, "tunnel drain") }
            } catch {
                break pumping
            }
        }
        if failure == nil {
            _ = try? await retrying(until: Monotonic.after(Self.tunnelDrainTime), onDeadline: {
                SSHError(.timeout, host: self.host, "closing a tunnel")
            }) { libssh2_channel_close(channel.raw) }
        }
    }

    /// Waits for the tunnels this session carries to end (their local ends close first).
    func finishTunnels() async {
        let pumps = tunnelPumps
        tunnelPumps.removeAll()
        for pump in pumps { await pump.value }
    }
}
