#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// The error for a handshake that found no algorithm in common: what deployer offered for each
    /// list (and the ssh_config line that set it), and what the server proposes, read again over a
    /// second connection when the host is reached directly.
    func algorithmMismatchError() async -> SSHError {
        let options = target.options
        let server = await serverProposal()
        var message = "no common algorithms with \(endpoint)"
        for kind in SSHAlgorithmKind.allCases where kind != .publicKey {
            let offered = options.offered(kind)
            let source = options.algorithms[kind].map { " (\($0.location))" } ?? ""
            message += "\n  \(kind.rawValue): deployer offered \(offered.joined(separator: ","))\(source)"
            if let theirs = server?.names(kind) {
                let common = offered.contains(where: theirs.contains)
                message += "\n    \(common ? "" : "NONE IN COMMON: ")the server offers \(theirs.joined(separator: ","))"
            }
        }
        if server == nil {
            message += "\n  (the server's lists could not be read; `ssh -vv \(host)` prints them as 'peer server KEXINIT proposal')"
        }
        let fix = "allow one of the server's algorithms in ssh_config (Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms) among those libssh2 1.10 supports, "
            + "or use `ssh: { transport: openssh }` in the recipe's environment (or --ssh-transport openssh), which runs the system ssh"
        return SSHError(.unreachable, host: host, message, fix: fix)
    }

    /// The server's algorithm proposal, read over a second TCP connection (its KEXINIT comes
    /// unencrypted right after the banners); nil through a ProxyCommand or jump host, or when it
    /// does not come within two seconds.
    private func serverProposal() async -> ServerAlgorithmProposal? {
        var connectDeadline = Monotonic.after(.seconds(2))
        guard target.options.proxyCommand == nil, jump == nil,
              let fd = try? await connectSocket(deadline: &connectDeadline) else { return nil }
        defer {
            loop.socket = -1
            Glibc.close(fd)
        }
        let deadline = Monotonic.after(.seconds(2))
        let banner = Array("SSH-2.0-deployer\r\n".utf8)
        guard banner.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == banner.count else { return nil }
        loop.socket = fd
        loop.socketEvents = { Int16(POLLIN) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while received.count < 256 * 1024 {
            if let proposal = ServerAlgorithmProposal(received: received) { return proposal }
            guard case .ready = await loop.wait(until: deadline) else { return nil }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                return nil
            }
        }
        return nil
    }
}
