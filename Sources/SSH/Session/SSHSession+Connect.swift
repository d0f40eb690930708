import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// How often a handshake the server drops before its banner is tried (MaxStartups throttling).
    static let handshakeAttempts = 5

    /// Connects, verifies the host key and authenticates, all within `target.connectTimeout`
    /// (authentication gets its own allowance of the same length).
    func connect() async throws {
        loop.beginOperation()
        defer { loop.endOperation() }
        do {
            try refuseUnhonouredSettings()
            let knownHosts = try loadKnownHosts()
            if !target.jumpHosts.isEmpty { try await connectJump() }
            let deadline = Monotonic.after(target.connectTimeout)
            try await openTransport(knownHosts: knownHosts, deadline: deadline)
            try verifyHostKey(knownHosts)
            try await authenticate(deadline: Monotonic.after(target.connectTimeout))
            startKeepAlive()
        } catch {
            releaseResources()
            if let error = error as? SSHError { fail(error) }
            await closeJump()
            throw error
        }
    }

    /// Fails before any connection when ssh_config gives the host a setting deployer cannot
    /// honour: connecting anyway would go where, or authenticate as, `ssh` would not.
    private func refuseUnhonouredSettings() throws(SSHError) {
        let refused = target.options.refusedSettings
        guard !refused.isEmpty else { return }
        let lines = refused.map { "\n  \($0)" }.joined()
        throw SSHError(.local, host: host, "ssh_config gives this host settings deployer cannot honour over libssh2:" + lines,
                       fix: SSHConfigKeyword.refusalFix)
    }

    /// TCP connect and SSH handshake, retried with jittered back-off when the server hangs up
    /// before its banner (sshd's MaxStartups refusing a burst of connections).
    private func openTransport(knownHosts: KnownHosts, deadline: UInt64) async throws {
        var deadline = deadline
        var attempt = 1
        while true {
            let socket: Int32
            if let command = target.options.proxyCommand {
                socket = try startProxyCommand(command)
            } else {
                socket = try await jump == nil ? connectSocket(deadline: &deadline) : tunnelSocket(deadline: deadline)
            }
            socketFD = socket
            note(proxy == nil ? "tcp connected" : "proxy command started")
            do {
                if try await handshake(knownHosts: knownHosts, deadline: deadline) {
                    note("handshake done (banner, key exchange, ssh-userauth service)")
                    return
                }
            } catch var error as SSHError where proxy != nil {
                error.message += proxyReport()
                throw error
            }
            if let proxy, proxy.exited() != nil {
                throw SSHError(.unreachable, host: host, "the ProxyCommand \(proxy.command) ended before the SSH banner"
                                   + (proxy.report.isEmpty ? "" : "; " + proxy.report),
                               fix: "run the command by hand to see why (ProxyCommand in ssh_config)")
            }
            let report = proxyReport()
            releaseResources()
            let backoff = UInt64.random(in: 30...90) * (1 << UInt64(attempt)) * 1_000_000
            guard attempt < Self.handshakeAttempts, Monotonic.now() + backoff < deadline else {
                throw SSHError(
                    .unreachable, host: host,
                    "\(endpoint) closed the connection before the SSH banner, \(attempt) times" + report,
                    fix: "the server may be refusing connections (MaxStartups in sshd_config limits simultaneous handshakes); lower --parallel or retry")
            }
            _ = await loop.wait(until: Monotonic.now() + backoff)
            attempt += 1
        }
    }

    /// `host:port` as connected to.
    nonisolated var endpoint: String {
        let options = target.options
        return options.hostName.contains(":") ? "[\(options.hostName)]:\(options.port)" : "\(options.hostName):\(options.port)"
    }

    /// A TCP connection to the host's first address that answers. A connect that fails (refused,
    /// unreachable, or no answer within `ConnectTimeout`) is tried again a second later up to
    /// ssh_config's `ConnectionAttempts` times in all, as ssh does, each try with a `deadline` of its own
    /// (left in `deadline` for the handshake).
    func connectSocket(deadline: inout UInt64) async throws -> Int32 {
        let options = target.options
        let addresses: [(family: Int32, address: [UInt8])]
        switch await TCPSocket.addresses(host: options.hostName, port: options.port) {
        case .success(let list): addresses = list
        case .failure(let failure):
            throw SSHError(.unreachable, host: host, "cannot resolve \(options.hostName): \(failure.message)", fix: "check the name, or HostName in ssh_config")
        }
        var attempt = 1
        while true {
            do {
                return try await connectSocket(to: addresses, deadline: deadline)
            } catch var error as SSHError where error.kind == .unreachable {
                guard attempt < options.connectionAttempts else {
                    if attempt > 1 { error.message += " (\(attempt) attempts, ConnectionAttempts in ssh_config)" }
                    throw error
                }
                note("tcp connect attempt \(attempt) failed: \(error.message)")
                if case .cancelled = await loop.wait(until: Monotonic.now() + Self.connectionAttemptPause) { throw CancellationError() }
                attempt += 1
                deadline = Monotonic.after(target.connectTimeout)
            }
        }
    }

    /// ssh's pause between two `ConnectionAttempts`, in nanoseconds.
    static let connectionAttemptPause: UInt64 = 1_000_000_000

    /// One try at each of `addresses` in turn, until `deadline`.
    private func connectSocket(to addresses: [(family: Int32, address: [UInt8])], deadline: UInt64) async throws -> Int32 {
        let options = target.options
        var lastError: Int32 = ECONNREFUSED
        for candidate in addresses {
            switch TCPSocket.startConnect(family: candidate.family, address: candidate.address) {
            case .failure(let failure):
                lastError = failure.code
            case .success(let started):
                if started.done { return started.fd }
                loop.socket = started.fd
                loop.socketEvents = { Int16(POLLOUT) }
                do {
                    try await waitForSocket(until: deadline) {
                        SSHError(.unreachable, host: host, "no TCP connection to \(endpoint) within \(target.connectTimeout)",
                                 fix: "check that the host is up and that no firewall drops port \(options.port) (ConnectTimeout in ssh_config sets the limit)")
                    }
                } catch {
                    Glibc.close(started.fd)
                    loop.socket = -1
                    throw error
                }
                loop.socket = -1
                let error = TCPSocket.pendingError(started.fd)
                if error == 0 { return started.fd }
                Glibc.close(started.fd)
                lastError = error
            }
        }
        let fix = lastError == ECONNREFUSED
            ? "check that sshd runs on the host and listens on port \(options.port) (Port in ssh_config)"
            : "check that the host is up and reachable from here"
        throw SSHError(.unreachable, host: host, "cannot connect to \(endpoint): \(TCPSocket.describe(lastError))", fix: fix)
    }

    /// Runs the SSH handshake on `socketFD`; false when the server hung up before its banner.
    private func handshake(knownHosts: KnownHosts, deadline: UInt64) async throws -> Bool {
        guard let session = SessionHandle() else {
            throw SSHError(.local, host: host, "libssh2 could not create a session (out of memory?)")
        }
        handle = session
        let options = target.options
        let lookup = hostKeyLookupName
        let hostKeyTypes = options.offered(.hostKey)
        let known = options.prefersKnownHostKeyTypes
            ? knownHosts.knownKeyTypes(host: lookup.host, port: lookup.port).filter(hostKeyTypes.contains) : []
        let hostKeys = known + hostKeyTypes.filter { !known.contains($0) }
        session.setPreference(LIBSSH2_METHOD_KEX, options.offered(.keyExchange).joined(separator: ","))
        session.setPreference(LIBSSH2_METHOD_HOSTKEY, hostKeys.joined(separator: ","))
        let ciphers = options.offered(.cipher).joined(separator: ",")
        for method in [LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC] { session.setPreference(method, ciphers) }
        let macs = options.offered(.mac).joined(separator: ",")
        for method in [LIBSSH2_METHOD_MAC_CS, LIBSSH2_METHOD_MAC_SC] { session.setPreference(method, macs) }
        loop.socket = socketFD
        loop.socketEvents = {
            session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 ? Int16(POLLIN | POLLOUT) : Int16(POLLIN)
        }
        let socket = socketFD
        let rc = try await retrying(until: deadline, onDeadline: {
            libssh2_session_banner_get(session.raw) == nil
                ? SSHError(.unreachable, host: host, "\(endpoint) accepted the TCP connection but sent no SSH banner within \(target.connectTimeout)",
                           fix: "check that port \(target.options.port) is an SSH server (not another service or a stuck sshd)")
                : SSHError(.unreachable, host: host, "the SSH handshake with \(endpoint) did not finish within \(target.connectTimeout)",
                           fix: "the host or the network is very slow; raise ConnectTimeout in ssh_config")
        }) {
            libssh2_session_handshake(session.raw, socket)
        }
        if rc == 0 { return true }
        if !Self.isSSHBanner(libssh2_session_banner_get(session.raw).map { String(cString: $0) })
            && [LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT].contains(rc) {
            return false
        }
        if rc == LIBSSH2_ERROR_KEX_FAILURE || rc == LIBSSH2_ERROR_METHOD_NONE {
            throw await algorithmMismatchError()
        }
        throw libraryError(.unreachable, "the SSH handshake with \(endpoint) failed")
    }

    /// Whether `line`, the first line the server sent, is an SSH banner. sshd refusing a connection
    /// past `MaxStartups` sends "Not allowed at this time" and hangs up, which libssh2 1.10 keeps as
    /// the banner; that is a refusal to retry, not a server that speaks another protocol.
    static func isSSHBanner(_ line: String?) -> Bool { line?.hasPrefix("SSH-") == true }

    /// Sends keepalives on the loop while the session is open, and lets the loop declare the
    /// peer gone after `keepAliveCountMax` silent intervals.
    private func startKeepAlive() {
        guard let session = handle else { return }
        loop.holdsSession = true
        let interval = target.keepAliveInterval
        guard interval > 0 else { return }
        libssh2_keepalive_config(session.raw, 1, UInt32(interval))
        let socket = socketFD
        loop.keepAlive = {
            var next: Int32 = 1
            // Only when the whole packet fits: half-sent, it would block every other packet (see `TCPSocket.hasRoom`).
            if session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND == 0
                && TCPSocket.hasRoom(socket, for: TCPSocket.stackPacketRoom) {
                _ = libssh2_keepalive_send(session.raw, &next)
            }
            return UInt64(max(next, 1)) * 1_000_000_000
        }
        loop.peerSilenceLimit = UInt64(max(2, interval) * target.keepAliveCountMax) * 1_000_000_000 + 500_000_000
    }
}

