extension SSHSession {
    /// Connects and authenticates to the last `ProxyJump` hop (itself through the hops before
    /// it), checking its host key like any host's, and keeps it as `jump`.
    ///
    /// An error names the hop: `web2: through jump host bastion: cannot connect to …`.
    func connectJump() async throws {
        guard var hop = target.jumpHosts.last else { return }
        hop.jumpHosts = Array(target.jumpHosts.dropLast())
        let session = SSHSession(target: hop)
        do {
            try await session.connect()
        } catch let error as SSHError {
            throw SSHError(error.kind, host: host, "through jump host \(error.host): \(error.message)", fix: error.fix)
        }
        jump = session
    }

    /// A socket whose bytes the jump host forwards to this target's `HostName:Port` over a
    /// direct-tcpip channel.
    func tunnelSocket(deadline: UInt64) async throws -> Int32 {
        guard let jump else { throw SSHError(.local, host: host, "no jump host session") }
        do {
            return try await jump.openTunnel(host: target.options.hostName, port: target.options.port, deadline: deadline)
        } catch let error as SSHError {
            throw SSHError(error.kind, host: host, "through jump host \(error.host): \(error.message)", fix: error.fix)
        }
    }

    /// Closes the jump host's session, if any, after this session has closed its end of the tunnel.
    func closeJump() async {
        guard let jump else { return }
        self.jump = nil
        await jump.close()
    }
}
