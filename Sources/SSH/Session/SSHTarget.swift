import Foundation

/// Everything needed to open a session to one host: ssh_config's resolved options, the host-key
/// policy, timeouts, and where the agent and the key passphrase come from.
///
/// Built by `resolve(_:config:policy:)`, a pure function of its inputs, so the execution layer
/// can resolve every host up front and report configuration problems before connecting.
public struct SSHTarget: Sendable {
    /// The host as the user named it (`web1`, `deploy@10.0.0.5:2222`); used in every message.
    public var name: String
    /// The options ssh_config gives for this host.
    public var options: ResolvedSSHOptions
    /// What to do with an unknown or changed host key.
    public var hostKeyPolicy: HostKeyPolicy
    /// Limit for TCP connect plus SSH handshake, and again for authentication.
    public var connectTimeout: Duration
    /// Seconds between keepalives (libssh2 raises 1 to 2); 0 turns them off.
    public var keepAliveInterval: Int
    /// Unanswered keepalive intervals after which the host counts as gone.
    public var keepAliveCountMax: Int
    /// The ssh-agent socket (`SSH_AUTH_SOCK`), if any.
    public var agentSocket: String?
    /// Passphrase for encrypted identity files (`DEPLOYER_SSH_PASSPHRASE`).
    public var passphrase: String?
    /// `ProxyJump` hops, outermost first, each resolved like a host of its own (options, host key
    /// check, authentication). `SSHConnection` reaches the target through a direct-tcpip channel
    /// of the last hop, itself reached through the hops before it.
    public var jumpHosts: [SSHTarget]
    /// The local shell that runs a `ProxyCommand` (`$SHELL`, else `/bin/sh`, as in OpenSSH).
    public var localShell = "/bin/sh"
    /// Receives one line per network step of the session (TCP connect, handshake, each
    /// authentication attempt, channel open, exec, end of output), prefixed with the host and the
    /// milliseconds since the connection began: at a known RTT, the gaps count round trips.
    /// nil (the default) traces nothing.
    public var trace: (@Sendable (String) -> Void)?

    /// Creates a target from already resolved options.
    public init(
        name: String, options: ResolvedSSHOptions, hostKeyPolicy: HostKeyPolicy,
        connectTimeout: Duration, keepAliveInterval: Int, keepAliveCountMax: Int,
        agentSocket: String?, passphrase: String?, jumpHosts: [SSHTarget] = []
    ) {
        self.name = name
        self.options = options
        self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeout = connectTimeout
        self.keepAliveInterval = keepAliveInterval
        self.keepAliveCountMax = keepAliveCountMax
        self.agentSocket = agentSocket
        self.passphrase = passphrase
        self.jumpHosts = jumpHosts
    }

    /// Default `ConnectTimeout` when ssh_config sets none (OpenSSH waits for the system's TCP
    /// timeout, minutes; a deploy should not).
    public static let defaultConnectTimeout: Duration = .seconds(10)
    /// Default `ServerAliveInterval` when ssh_config sets none: a dead host is noticed in 45 s.
    public static let defaultKeepAliveInterval = 15

    /// Resolves `hostSpec` (an ssh_config alias or `[user@]host[:port]`) against `config`.
    ///
    /// `policy` overrides ssh_config's `StrictHostKeyChecking` (strict when neither says).
    /// `environment` supplies `SSH_AUTH_SOCK`, `DEPLOYER_SSH_PASSPHRASE`, `USER` and `HOME`.
    public static func resolve(
        _ hostSpec: String, config: SSHConfig, policy: HostKeyPolicy?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> SSHTarget {
        resolve(hostSpec, config: config, policy: policy, environment: environment, followJumps: true)
    }

    private static func resolve(
        _ hostSpec: String, config: SSHConfig, policy: HostKeyPolicy?,
        environment: [String: String], followJumps: Bool
    ) -> SSHTarget {
        let spec = HostSpec(parsing: hostSpec)
        let home = environment["HOME"] ?? NSHomeDirectory()
        let localUser = environment["USER"] ?? NSUserName()
        let options = config.resolve(host: spec.host, user: spec.user, port: spec.port, localUser: localUser, homeDirectory: home)
        let jumps = followJumps
            ? options.proxyJump.filter { $0 != "none" }.map {
                resolve($0, config: config, policy: policy, environment: environment, followJumps: false)
            }
            : []
        let interval = options.serverAliveInterval.flatMap { $0 > 0 ? $0 : nil } ?? defaultKeepAliveInterval
        var target = SSHTarget(
            name: hostSpec, options: options,
            hostKeyPolicy: policy ?? options.strictHostKeyChecking ?? .strict,
            connectTimeout: options.connectTimeout.map { .seconds($0) } ?? defaultConnectTimeout,
            keepAliveInterval: interval, keepAliveCountMax: max(1, options.serverAliveCountMax),
            agentSocket: environment["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : $0 },
            passphrase: environment["DEPLOYER_SSH_PASSPHRASE"],
            jumpHosts: jumps
        )
        if let shell = environment["SHELL"], !shell.isEmpty { target.localShell = shell }
        return target
    }
}
