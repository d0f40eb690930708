import DeployerModel
import SSH

/// Connects hosts over SSH, each resolved against ssh_config by `target`.
public struct SSHConnector: Connector {
    private let target: @Sendable (DeployerModel.Host) -> SSHTarget

    /// `target` turns a recipe host into SSH options (ssh_config alias, user, port, host-key policy).
    public init(target: @escaping @Sendable (DeployerModel.Host) -> SSHTarget) { self.target = target }

    public func connect(to host: DeployerModel.Host) async throws(TransportError) -> any Transport {
        do {
            return SSHTransport(connection: try await SSHConnection.connect(to: target(host)))
        } catch {
            throw SSHTransport.transportError(error, during: .unreachable)
        }
    }
}
