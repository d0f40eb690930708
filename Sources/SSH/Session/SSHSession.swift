import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// One SSH connection: the libssh2 session, its socket and its channels, all confined to one
/// thread of the SSH loop pool (this actor's executor is an `SSHEventLoop` pinned to an `SSHLoopThread`).
///
/// Every operation runs libssh2 non-blocking and suspends on `EAGAIN` until the loop sees the
/// socket ready, so many channels of one session progress concurrently and a stuck host never
/// holds a thread of Swift's cooperative pool.
actor SSHSession {
    let target: SSHTarget
    let loop: SSHEventLoop
    var handle: SessionHandle?
    var socketFD: Int32 = -1
    /// Set once the connection is unusable; every later operation throws it.
    var failure: SSHError?
    /// The session to the last `ProxyJump` hop, which carries this session's bytes; nil for a
    /// direct connection. Closed after this session.
    var jump: SSHSession?
    /// The `ProxyCommand` carrying this session's bytes, while it runs; nil without one.
    var proxy: ProxyCommandProcess?
    /// Where the sessions to jump hosts come from: shared by every connection of one command
    /// (hosts behind one bastion ride one session to it); nil: this session makes its own.
    let jumpHosts: JumpHostSessions?
    /// Connections this session forwards for sessions that jump through it (`pumpTunnels`).
    var forwarded: [ForwardedConnection] = []
    /// Direct-tcpip opens asked for and not begun yet, in order.
    var tunnelRequests: [TunnelRequest] = []
    /// The direct-tcpip open libssh2 has in flight; its request is nil once its asker gave up.
    var openingTunnel: (host: String, port: Int, request: TunnelRequest?)?
    /// The task driving `forwarded` and the opens, while there are any.
    var tunnelPump: Task<Void, Never>?
    /// A channel opened, and its command started, while another command ran (see `prestart`).
    var spare: SpareChannel?
    /// The command the next `exec` is expected to run, to be started on a spare channel.
    var prestartCommand: String?
    /// The server refused a spare channel: no more are opened on this session.
    var spareRefused = false
    /// The shell kept open to run scripts one after another (`runScript`), while idle.
    var scriptShell: ChannelExchange?
    /// A script runs on the script shell now.
    var scriptShellBusy = false
    /// The quickest channel open so far, in nanoseconds: one round trip to sshd (see `InputPacing`).
    var quickestOpen: UInt64?
    /// When the spare channel's open was first asked for, while it is under way.
    var spareOpenBegan: UInt64?
    /// The host key the session verified, `ssh-ed25519 SHA256:…`, once connected.
    var verifiedHostKey: String?
    /// The key the server accepted (`ssh-agent key NAME (TYPE)` or `FILE (TYPE)`), once authenticated.
    var acceptedIdentity: String?
    /// When the session began, for `note`.
    let began = Monotonic.now()

    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.asUnownedSerialExecutor() }

    init(target: SSHTarget, jumpHosts: JumpHostSessions? = nil) {
        self.target = target
        self.jumpHosts = jumpHosts
        self.loop = SSHEventLoop()
    }

    /// The host's name in messages.
    nonisolated var host: String { target.name }

    /// Passes `event` to the target's trace, if any, with the milliseconds since the session began.
    func note(_ event: @autoclosure () -> String) {
        guard let trace = target.trace else { return }
        trace("\(host) +\((Monotonic.now() - began) / 1_000_000) ms \(event())")
    }

    /// Times a channel open asked for at `asked` that has just been answered.
    func timeOpen(since asked: UInt64) {
        let took = Monotonic.now() - asked
        quickestOpen = min(quickestOpen ?? took, took)
    }

    /// The connected session, or the error that ended it.
    func liveHandle() throws(SSHError) -> SessionHandle {
        if let failure { throw failure }
        guard let handle else { throw SSHError(.disconnected, host: host, "the session is closed") }
        return handle
    }

    /// Waits for the socket once; turns the loop's verdict into an error where it is one.
    func waitForSocket(until deadline: UInt64?, onDeadline: () -> SSHError) async throws {
        switch await loop.wait(until: deadline) {
        case .ready:
            return
        case .deadline:
            throw onDeadline()
        case .peerSilent:
            let limit = target.keepAliveCountMax * max(2, target.keepAliveInterval)
            let error = SSHError(
                .disconnected, host: host,
                "the connection went silent: no answer to keepalives for \(limit) s",
                fix: "check that the host is up and the network path to it works (ServerAliveInterval/ServerAliveCountMax in ssh_config set how long to wait)")
            fail(error)
            throw error
        case .closed:
            let error = SSHError(.disconnected, host: host, "the host closed the connection", fix: "check the host's sshd log for the reason")
            fail(error)
            throw error
        case .cancelled:
            if let failure { throw failure }
            throw CancellationError()
        }
    }

    /// Calls `call` until libssh2 stops answering `EAGAIN`, waiting for the socket in between.
    func retrying<T>(
        until deadline: UInt64?, onDeadline: () -> SSHError,
        wouldBlock: (T) -> Bool, _ call: () -> T
    ) async throws -> T {
        while true {
            let result = call()
            if !wouldBlock(result) { return result }
            try await waitForSocket(until: deadline, onDeadline: onDeadline)
        }
    }

    /// `retrying` for calls that return an `Int32` result code.
    func retrying(until deadline: UInt64?, onDeadline: () -> SSHError, _ call: () -> Int32) async throws -> Int32 {
        try await retrying(until: deadline, onDeadline: onDeadline, wouldBlock: { LibSSH2.wouldBlock($0) }, call)
    }

    /// Marks the connection unusable and wakes everything waiting on it.
    func fail(_ error: SSHError) {
        guard failure == nil else { return }
        failure = error
        loop.cancelAllWaiters()
    }

    /// An error for a libssh2 failure, with libssh2's own message.
    func libraryError(_ kind: SSHError.Kind, _ what: String, fix: String? = nil) -> SSHError {
        let last: (code: Int32, message: String) = handle?.lastError ?? (0, "")
        let detail = last.message.isEmpty ? "" : ": \(last.message) (libssh2 \(last.code))"
        return SSHError(kind, host: host, what + detail, fix: fix)
    }

    /// Says goodbye to the server and releases everything; idempotent.
    func close() async {
        await finishTunnels()
        if let handle, failure == nil {
            loop.beginOperation()
            let deadline = Monotonic.after(.seconds(2))
            _ = try? await retrying(until: deadline, onDeadline: { SSHError(.timeout, host: host, "disconnect") }) {
                shim_session_disconnect(handle.raw, "deployer done")
            }
            loop.endOperation()
        }
        fail(SSHError(.disconnected, host: host, "the session is closed"))
        releaseResources()
        await closeJump()
    }

    /// Frees the session and socket; the loop thread stops polling for it.
    func releaseResources() {
        loop.keepAlive = nil
        loop.holdsSession = false
        loop.socket = -1
        spare = nil
        scriptShell = nil
        handle = nil
        if socketFD >= 0 {
            Glibc.close(socketFD)
            socketFD = -1
        }
        // After the socket: the command sees its input end and may exit by itself first.
        proxy?.stop()
        proxy = nil
    }
}
