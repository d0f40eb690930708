import DeployerModel
import SSH

/// Connects hosts over SSH, each resolved against ssh_config by `target`, at most
/// `throttle.limit` connections being set up at once (`--max-startups`); hosts behind the same
/// `ProxyJump` host share one session to it.
public struct SSHConnector: Connector {
    private let target: @Sendable (FleetHost) -> SSHTarget
    private let throttle: HandshakeThrottle
    private let jumpHosts = JumpHostSessions()

    /// `target` turns a recipe host into SSH options (ssh_config alias, user, port, host-key policy);
    /// `throttle` is shared by every connection this connector makes.
    public init(throttle: HandshakeThrottle = HandshakeThrottle(), target: @escaping @Sendable (FleetHost) -> SSHTarget) {
        self.target = target
        self.throttle = throttle
    }

    public func connect(to host: FleetHost) async throws(TransportError) -> any Transport {
        do {
            return SSHTransport(connection: try await SSHConnection.connect(to: target(host), throttle: throttle, jumpHosts: jumpHosts))
        } catch {
            throw SSHTransport.transportError(error, during: .unreachable)
        }
    }
}
