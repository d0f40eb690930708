import DeployerModel
import SSH

/// The `ssh` command lines of the OpenSSH transport for one host: its master connection, each
/// command through that master, and the master's control operations. Pure: it only builds arguments.
///
/// ssh_config applies as `ssh HOST` would apply it (ssh reads it). Set on every command line, and
/// so winning over ssh_config (ssh keeps the first value it obtains), are only:
/// - `-S`, `ControlMaster`, `ControlPersist`: deployer's own master in its private directory;
///   ssh_config's `ControlPath` and `ControlMaster` would share a user's interactive master;
/// - `BatchMode=yes` and `-T`: nobody can answer a prompt, and scripts need no terminal;
/// - `StrictHostKeyChecking`, `ConnectTimeout`, `ServerAliveInterval`, `ServerAliveCountMax`: the
///   values deployer resolved from the same ssh_config (or `--host-key-policy`), with deployer's
///   defaults where ssh_config sets none, so that both transports check host keys alike (an
///   `ask` becomes strict) and notice a dead host alike.
public struct OpenSSHCommandLine: Sendable, Hashable {
    /// `-F`: the ssh_config deployer reads, when it is not ssh's own default.
    public var configFile: String?
    /// The host as written: an ssh_config alias or `[user@]host[:port]`.
    public var address: HostAddress
    public var hostKeyPolicy: HostKeyPolicy
    public var connectTimeoutSeconds: Int
    public var keepAliveInterval: Int
    public var keepAliveCountMax: Int
    /// The master's socket: `%C` (a hash of the host, port and user) in the run's private directory.
    public var controlPath: String

    public init(configFile: String?, address: HostAddress, hostKeyPolicy: HostKeyPolicy, connectTimeoutSeconds: Int,
                keepAliveInterval: Int, keepAliveCountMax: Int, controlPath: String) {
        self.configFile = configFile; self.address = address; self.hostKeyPolicy = hostKeyPolicy
        self.connectTimeoutSeconds = connectTimeoutSeconds; self.keepAliveInterval = keepAliveInterval
        self.keepAliveCountMax = keepAliveCountMax; self.controlPath = controlPath
    }

    /// The line for `target` (resolved from ssh_config by deployer) with its socket in `controlDirectory`.
    public init(target: SSHTarget, address: HostAddress, configFile: String?, controlDirectory: String) {
        let timeout = target.connectTimeout.components
        self.init(configFile: configFile, address: address, hostKeyPolicy: target.hostKeyPolicy,
                  connectTimeoutSeconds: max(1, Int(timeout.seconds) + (timeout.attoseconds > 0 ? 1 : 0)),
                  keepAliveInterval: target.keepAliveInterval, keepAliveCountMax: target.keepAliveCountMax,
                  controlPath: controlDirectory + "/%C")
    }

    /// Starts the master: it authenticates, then goes to the background (`-f`) and serves the
    /// commands until `-O exit`; ssh exits 0 once authenticated, 255 when it could not connect.
    /// It writes what it says to `log` (`-E`): why it could not connect, or why it ended.
    public func master(log: String) -> [String] {
        options + ["-o", "ControlMaster=yes", "-o", "ControlPersist=yes", "-E", log, "-f", "-N", "--", address.host]
    }

    /// Runs `remoteCommand` through the master (the host's login shell runs it, as with libssh2).
    ///
    /// `-O proxy`, not a plain client of the master: a plain client whose master is gone connects to
    /// the host directly, without a word, so a host whose connection broke mid-run would carry on
    /// through a second connection. In proxy mode a missing master is ssh's fatal error (exit 255),
    /// and the host's connection is lost as it is when a libssh2 session breaks.
    public func command(_ remoteCommand: String) -> [String] {
        options + ["-o", "ControlMaster=no", "-O", "proxy", "--", address.host, remoteCommand]
    }

    /// Asks the master to `check` (exit 0 while it runs) or `exit`.
    public func control(_ operation: String) -> [String] {
        options + ["-O", operation, "--", address.host]
    }

    /// What every line starts with.
    var options: [String] {
        var options: [String] = []
        if let configFile { options += ["-F", configFile] }
        options += ["-S", controlPath, "-T", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=" + Self.strictHostKeyChecking(hostKeyPolicy),
                    "-o", "ConnectTimeout=\(connectTimeoutSeconds)",
                    "-o", "ServerAliveInterval=\(keepAliveInterval)", "-o", "ServerAliveCountMax=\(keepAliveCountMax)"]
        if let user = address.user { options += ["-l", user] }
        if let port = address.port { options += ["-p", String(port)] }
        return options
    }

    /// OpenSSH's spelling of `policy`.
    static func strictHostKeyChecking(_ policy: HostKeyPolicy) -> String {
        switch policy {
        case .strict: "yes"
        case .acceptNew: "accept-new"
        case .off: "no"
        }
    }
}
