import DeployerModel
import Foundation
import SSH

/// Connects hosts through the system's OpenSSH client (`ssh: { transport: openssh }`, or
/// `--ssh-transport openssh`): starts one master connection per host, whose socket is in the run's
/// private directory, and hands out an `OpenSSHTransport` that runs commands through it.
public struct OpenSSHConnector: Connector {
    private let ssh: String
    private let configFile: String?
    private let environment: [String: String]
    private let target: @Sendable (FleetHost) -> SSHTarget
    private let directory: OpenSSHControlDirectory
    private let throttle: HandshakeThrottle

    /// `ssh`: the OpenSSH client's path; `configFile`: passed as `-F` (nil: ssh's own default,
    /// ~/.ssh/config then /etc/ssh/ssh_config); `target`: deployer's reading of ssh_config for a host,
    /// for the host-key policy and timeouts both transports share; `environment`: ssh's (agent socket…);
    /// `throttle` (`--max-startups`): masters connecting at once, as for libssh2 connections.
    public init(ssh: String, configFile: String?, environment: [String: String],
                throttle: HandshakeThrottle = HandshakeThrottle(),
                target: @escaping @Sendable (FleetHost) -> SSHTarget) {
        self.throttle = throttle
        self.ssh = ssh
        self.configFile = configFile
        self.environment = environment
        self.target = target
        directory = OpenSSHControlDirectory(ssh: ssh, environment: environment)
    }

    public func connect(to host: FleetHost) async throws(TransportError) -> any Transport {
        let path = try directory.path()
        let line = OpenSSHCommandLine(target: target(host), address: host.address, configFile: configFile, controlDirectory: path)
        let transport = OpenSSHTransport(ssh: ssh, line: line, masterLog: path + "/" + host.name + ".log", environment: environment)
        let output: ProcessRunner.Output
        do {
            // ConnectTimeout bounds the TCP connection and the banner; authentication gets as long again.
            let (ssh, environment) = (ssh, environment)
            output = try await throttle.admit {
                try await ProcessRunner.run(ssh, line.master(log: transport.masterLog), input: nil,
                                            environment: environment, ownProcessGroup: true,
                                            timeout: Double(3 * line.connectTimeoutSeconds))
            }
        } catch {
            throw TransportError(.local, "\(error)")
        }
        guard output.status == 0, !output.signaled else {
            let said = transport.log + "\n" + String(decoding: output.stderr, as: UTF8.self)
            let reason = output.timedOut ? "ssh did not finish connecting within \(3 * line.connectTimeoutSeconds) s; " : ""
            throw TransportError(.unreachable, reason + OpenSSHFailure.describe(said, line: line))
        }
        return transport
    }
}
