/// A direct-tcpip channel that a session behind a jump host waits for (`SSHSession.openTunnel`):
/// answered by the jump host's tunnel pump with the target session's end of a socket pair, or an
/// error.
struct TunnelRequest {
    /// Where the jump host is to connect: the target's `HostName` and `Port`.
    let host: String
    let port: Int
    /// When the request is given up on: the end of the target's `ConnectTimeout`, `timeout`.
    let deadline: UInt64
    let timeout: Duration
    let answer: CheckedContinuation<Int32, any Error>

    /// `host:port`, brackets around an IPv6 address.
    var destination: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
