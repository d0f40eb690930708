extension SSHSession {
    /// Connects and authenticates to the last `ProxyJump` hop (itself through the hops before
    /// it), checking its host key like any host's, and keeps it as `jump`: the session
    /// `jumpHosts` shares among the hosts behind that hop, or one of this session's own.
    ///
    /// An error names the hop: `web2: through jump host bastion: cannot connect to …`.
    func connectJump() async throws {
        guard var hop = target.jumpHosts.last else { return }
        hop.jumpHosts = Array(target.jumpHosts.dropLast())
        do {
            if let jumpHosts {
                jump = try await jumpHosts.session(for: hop)
            } else {
                let session = SSHSession(target: hop)
                try await session.connect()
                jump = session
            }
        } catch let error as SSHError {
            throw SSHError(error.kind, host: host, "through jump host \(error.host): \(error.message)", fix: error.fix)
        }
    }

    /// A socket whose bytes the jump host forwards to this target's `HostName:Port` over a
    /// direct-tcpip channel.
    func tunnelSocket(deadline: UInt64) async throws -> Int32 {
        guard let jump else { throw SSHError(.local, host: host, "no jump host session") }
        do {
            return try await jump.openTunnel(host: target.options.hostName, port: target.options.port, deadline: deadline,
                                             timeout: target.connectTimeout)
        } catch let error as SSHError {
            throw SSHError(error.kind, host: host, "through jump host \(error.host): \(error.message)", fix: error.fix)
        }
    }

    /// Closes the jump host's session, if any, after this session has closed its end of the
    /// tunnel; a shared one closes when the last host behind it lets go.
    func closeJump() async {
        guard let jump else { return }
        self.jump = nil
        if let jumpHosts { await jumpHosts.release(jump) } else { await jump.close() }
    }

    /// Whether the session has failed (it is not handed to another host behind it).
    var hasFailed: Bool { failure != nil }

    /// The error to report instead of this session's own when its jump host's session broke: the
    /// host was lost with the jump host, and so was every host behind it. nil when this session
    /// has no jump host or it is fine.
    func jumpHostBreakage() async -> SSHError? {
        guard let jump, let broken = await jump.failure else { return nil }
        let name = jump.host
        return SSHError(
            .disconnected, host: host,
            "the connection to jump host \(name) broke (\(broken.message)); every host behind \(name) lost its connection with it",
            fix: "check \(name) (ProxyJump in ssh_config) and its sshd log, then run the command again")
    }
}
