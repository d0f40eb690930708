/// An authenticated SSH connection to one host, reused for many commands and uploads (a
/// channel each; several may run at once).
///
/// Each connection has its own thread running libssh2 non-blocking under `poll()`, so hundreds
/// of connections can be open without occupying Swift's cooperative pool. Call `close()` when
/// done; it ends the thread.
///
/// Commands run the way `ssh host 'command'` runs them: sshd hands the text to the user's login
/// shell from the host's passwd entry as `$SHELL -c 'command'`, non-interactive and not a login
/// shell, so `~/.profile` is not read (bash on Debian does read `~/.bashrc`). Wrap a command in
/// `bash -lc '…'` to get a login shell's PATH.
public final class SSHConnection: Sendable {
    /// The host this connection talks to.
    public let target: SSHTarget
    /// The host key verified on connecting, `ssh-ed25519 SHA256:…`.
    public let hostKey: String?
    /// The key the server accepted: `ssh-agent key NAME (TYPE)` or `FILE (TYPE)`.
    public let acceptedIdentity: String?
    let session: SSHSession

    private init(target: SSHTarget, session: SSHSession, hostKey: String?, acceptedIdentity: String?) {
        self.target = target
        self.session = session
        self.hostKey = hostKey
        self.acceptedIdentity = acceptedIdentity
    }

    deinit {
        let session = self.session
        Task { await session.close() }
    }

    /// Connects to `target`, checks its host key against known_hosts and authenticates.
    ///
    /// With `ProxyJump` hops the session runs through a direct-tcpip channel of the last hop's
    /// session (each hop connected, verified and authenticated in turn); closing the connection
    /// closes the hops too, and an error about a hop says `through jump host NAME`.
    ///
    /// Throws `SSHError` (`unreachable`, `hostKeyUnknown`, `hostKeyChanged`, `authFailed`, …)
    /// whose message names the host and says what to do.
    ///
    /// With a `throttle`, the connection waits for its turn among the connections sharing it; its
    /// session (and thread) and its `ConnectTimeout` start only then. With `jumpHosts`, its
    /// `ProxyJump` host's session is the one shared by every connection behind the same host;
    /// if that session breaks, every host behind it fails with an error naming the jump host.
    public static func connect(to target: SSHTarget, throttle: HandshakeThrottle? = nil,
                               jumpHosts: JumpHostSessions? = nil) async throws -> SSHConnection {
        guard let throttle else { return try await connectNow(to: target, jumpHosts: jumpHosts) }
        return try await throttle.admit { try await connectNow(to: target, jumpHosts: jumpHosts) }
    }

    private static func connectNow(to target: SSHTarget, jumpHosts: JumpHostSessions?) async throws -> SSHConnection {
        let session = SSHSession(target: target, jumpHosts: jumpHosts)
        try await session.connect()
        return SSHConnection(target: target, session: session, hostKey: await session.verifiedHostKey,
                             acceptedIdentity: await session.acceptedIdentity)
    }

    /// Runs `command` on the host and waits for it to finish.
    ///
    /// - Parameters:
    ///   - input: the command's standard input, piece after piece (then EOF); files are streamed,
    ///     never whole in memory. Empty gives it EOF at once.
    ///   - environment: variables exported before the command (in the command text, since
    ///     sshd drops `env` requests unless its AcceptEnv allows them).
    ///   - timeout: the host stops the command after this long (timeout(1): TERM, then KILL
    ///     5 s later) and `SSHError.Kind.timeout` is thrown.
    ///   - captureOutput: false keeps `stdout`/`stderr` of the result empty (for huge outputs
    ///     consumed by `onOutput`).
    ///   - onOutput: called on the connection's thread with output as it arrives.
    /// - Returns: the output and exit status; a non-zero exit is a result, not an error.
    public func exec(
        _ command: String, input: [SSHInput], environment: [String: String] = [:],
        timeout: Duration? = nil, captureOutput: Bool = true,
        onOutput: (@Sendable (SSHOutputChunk) -> Void)? = nil
    ) async throws -> SSHExecResult {
        try await blamingJumpHost {
            try await session.exec(command, input: input, environment: environment, timeout: timeout, capture: captureOutput, onOutput: onOutput)
        }
    }

    /// `exec` with `stdin` (nil: none) as the whole standard input.
    public func exec(
        _ command: String, stdin: [UInt8]? = nil, environment: [String: String] = [:],
        timeout: Duration? = nil, captureOutput: Bool = true,
        onOutput: (@Sendable (SSHOutputChunk) -> Void)? = nil
    ) async throws -> SSHExecResult {
        try await exec(command, input: stdin.map { [.bytes($0)] } ?? [], environment: environment, timeout: timeout,
                       captureOutput: captureOutput, onOutput: onOutput)
    }

    /// Starts `command` (with `environment` and `timeout` as `exec` would get them) on a spare
    /// channel during the next `exec`, so that a later `exec` of the same command with standard
    /// input finds it open and running: one round trip instead of three. Worth it only when that
    /// later `exec` is certain to come: an unused prestart costs the host a shell process.
    public func prestart(_ command: String, environment: [String: String] = [:], timeout: Duration? = nil) async throws {
        let remote = try SSHSession.remoteCommand(command, environment: environment, timeout: timeout, host: target.name)
        await session.prestart(remote)
    }

    /// Runs `script` on the connection's script shell, `shell` (a command that reads a script on
    /// standard input, like `sh -s`) started once and kept for the scripts that follow: each
    /// further script costs one round trip and no process start beyond its own commands. The
    /// script runs in a subshell with standard input from /dev/null; the result's exit status is
    /// the subshell's. A script sent while another runs gets a channel of its own.
    public func runScript(_ script: String, shell: String, onOutput: (@Sendable (SSHOutputChunk) -> Void)? = nil) async throws -> SSHExecResult {
        try await blamingJumpHost { try await session.runScript(script, shell: shell, onOutput: onOutput) }
    }

    /// Uploads a local file, streaming it (never whole in memory) into a temporary file beside
    /// `remotePath`, verified by SHA-256 on the host, then renamed into place with `mode`.
    ///
    /// - Parameter expectedSHA256: the file's SHA-256 when the caller already knows it (an
    ///   artifact uploaded to many hosts is hashed once, not once per host); the host checks
    ///   the copy against it all the same.
    /// - Parameter progress: called with the bytes sent so far.
    /// - Returns: the file's SHA-256 as lowercase hex, as verified on the host.
    public func upload(
        localPath: String, remotePath: String, mode: Int = 0o644, expectedSHA256: String? = nil,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws -> String {
        try await blamingJumpHost {
            try await session.upload(localPath: localPath, remotePath: remotePath, mode: mode,
                                     expectedSHA256: expectedSHA256, progress: progress)
        }
    }

    /// Runs `operation`; an `SSHError` it throws because the jump host's session broke is retold
    /// as that (`SSHSession.jumpHostBreakage`).
    private func blamingJumpHost<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as SSHError {
            throw await session.jumpHostBreakage() ?? error
        }
    }

    /// Disconnects politely and releases the connection's thread; later calls throw.
    public func close() async {
        await session.close()
    }
}
