/// The connection options for one host after applying ssh_config, as `ssh -G` would print them.
///
/// Produced by `SSHConfig.resolve`; all paths are expanded (`~` and `%` tokens) and absolute.
public struct ResolvedSSHOptions: Sendable, Hashable {
    /// The host name as the user typed it (an ssh_config alias or a real name).
    public var alias: String
    /// `HostName` with `%h` expanded, else the alias.
    public var hostName: String
    /// `Port`, 22 by default.
    public var port: Int
    /// The explicit user, else `User`, else the local user.
    public var user: String
    /// `IdentityFile` values, expanded; OpenSSH's defaults when none is given.
    public var identityFiles: [String]
    /// Whether `identityFiles` came from the config rather than the defaults.
    public var identityFilesExplicit: Bool
    /// `CertificateFile` values, expanded: user certificates offered with the identity whose key they certify.
    public var certificateFiles: [String]
    /// `IdentitiesOnly`: offer only `identityFiles`, not every agent key.
    public var identitiesOnly: Bool
    /// `ConnectTimeout` in seconds, nil when not set.
    public var connectTimeout: Int?
    /// `ServerAliveInterval` in seconds, nil (or 0) when not set.
    public var serverAliveInterval: Int?
    /// `ServerAliveCountMax`, 3 by default.
    public var serverAliveCountMax: Int
    /// `ConnectionAttempts`: how many times a TCP connect that fails is tried, a second apart; 1 by default.
    public var connectionAttempts: Int
    /// `StrictHostKeyChecking`; nil when the config does not set it.
    public var strictHostKeyChecking: HostKeyPolicy?
    /// `UserKnownHostsFile` values, expanded; `~/.ssh/known_hosts` and `~/.ssh/known_hosts2` by default.
    public var userKnownHostsFiles: [String]
    /// `GlobalKnownHostsFile` values; `/etc/ssh/ssh_known_hosts` and `/etc/ssh/ssh_known_hosts2` by default.
    public var globalKnownHostsFiles: [String]
    /// `HostKeyAlias`: the name to look up in known_hosts instead of the host name.
    public var hostKeyAlias: String?
    /// `ProxyJump` hops as written (`user@host:port` or an alias); empty for none.
    public var proxyJump: [String]
    /// `ProxyCommand` as written (the rest of its line, quotes kept, tokens unexpanded), nil when
    /// unset or `none`. The session runs it as OpenSSH does and talks SSH over its standard I/O.
    public var proxyCommand: String?
    /// `IdentityAgent` as `ssh -G` prints it: nil when unset, `none`, `SSH_AUTH_SOCK`, `$NAME`, or a
    /// socket path with `~`, tokens and `${NAME}` expanded. `agentSocket(environment:)` interprets it.
    public var identityAgent: String?
    /// `HashKnownHosts`: record new host keys with hashed names (`KnownHosts.append(…, hashed:)`).
    public var hashKnownHosts: Bool
    /// The algorithm lists ssh_config sets for the host (first value wins); a kind not set offers
    /// `SSHAlgorithmKind.defaultNames`. `offered(_:)` gives the names.
    public var algorithms: [SSHAlgorithmKind: SSHAlgorithmSetting]
    /// Settings the host obtains that deployer cannot honour (`SSHConfigKeyword.table`), in file
    /// order: connecting fails with them rather than connecting differently from `ssh`.
    public var refusedSettings: [SSHConfigRefusal]

    /// `proxyJump` parsed into hops, first hop first (hops were validated when the config was parsed).
    public var proxyJumpHops: [ProxyJumpHop] {
        proxyJump.compactMap(ProxyJumpHop.init)
    }

    /// The ssh-agent socket to use, nil for none: `IdentityAgent none` disables the agent; unset or
    /// `SSH_AUTH_SOCK` means `environment["SSH_AUTH_SOCK"]`; `$NAME` means `environment["NAME"]`.
    public func agentSocket(environment: [String: String]) -> String? {
        switch identityAgent {
        case nil, "SSH_AUTH_SOCK": return environment["SSH_AUTH_SOCK"]
        case "none": return nil
        case let value? where value.hasPrefix("$"): return environment[String(value.dropFirst())]
        case let path?: return path
        }
    }

    /// Creates resolved options; `SSHConfig.resolve` is the usual way to get them.
    public init(
        alias: String, hostName: String, port: Int, user: String,
        identityFiles: [String], identityFilesExplicit: Bool, certificateFiles: [String] = [], identitiesOnly: Bool,
        connectTimeout: Int?, serverAliveInterval: Int?, serverAliveCountMax: Int, connectionAttempts: Int = 1,
        strictHostKeyChecking: HostKeyPolicy?, userKnownHostsFiles: [String],
        globalKnownHostsFiles: [String], hostKeyAlias: String?, proxyJump: [String], hashKnownHosts: Bool = false,
        proxyCommand: String? = nil, identityAgent: String? = nil, algorithms: [SSHAlgorithmKind: SSHAlgorithmSetting] = [:], refusedSettings: [SSHConfigRefusal] = []
    ) {
        self.alias = alias
        self.hostName = hostName
        self.port = port
        self.user = user
        self.identityFiles = identityFiles
        self.identityFilesExplicit = identityFilesExplicit
        self.certificateFiles = certificateFiles
        self.identitiesOnly = identitiesOnly
        self.connectTimeout = connectTimeout
        self.serverAliveInterval = serverAliveInterval
        self.serverAliveCountMax = serverAliveCountMax
        self.connectionAttempts = connectionAttempts
        self.strictHostKeyChecking = strictHostKeyChecking
        self.userKnownHostsFiles = userKnownHostsFiles
        self.globalKnownHostsFiles = globalKnownHostsFiles
        self.hostKeyAlias = hostKeyAlias
        self.proxyJump = proxyJump
        self.hashKnownHosts = hashKnownHosts
        self.proxyCommand = proxyCommand
        self.identityAgent = identityAgent
        self.algorithms = algorithms
        self.refusedSettings = refusedSettings
    }
}
