import DeployerModel
import SSH

/// A host over SSH: one `SSHConnection` (libssh2 session) per host, opened
/// once and reused for every command of a run.
public struct SSHTransport: Transport {
    public let connection: SSHConnection

    public init(connection: SSHConnection) { self.connection = connection }

    public func run(_ command: String, input: [CommandInput], timeout: Double?,
                    onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        try await result {
            try await connection.exec(command, input: input, timeout: timeout.map { .milliseconds(Int($0 * 1000)) },
                                      onOutput: Self.passing(to: onOutput))
        }
    }

    public func stream(_ command: String, timeout: Double?,
                       onOutput: @escaping @Sendable (OutputChunk) -> Void) async throws(TransportError) -> CommandResult {
        try await result {
            try await connection.exec(command, input: [], timeout: timeout.map { .milliseconds(Int($0 * 1000)) },
                                      captureOutput: false, onOutput: Self.passing(to: onOutput))
        }
    }

    /// Starts the script shell with an empty script: what a first script would cost beyond its own round trip.
    public func startScriptShell(_ shell: String) async {
        _ = try? await connection.runScript(":", shell: shell, onOutput: nil)
    }

    public func runScript(_ script: String, shell: String,
                          onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        try await result { try await connection.runScript(script, shell: shell, onOutput: Self.passing(to: onOutput)) }
    }

    /// `body`'s result as a `CommandResult`; its error as a `TransportError`.
    private func result(_ body: () async throws -> SSHExecResult) async throws(TransportError) -> CommandResult {
        do {
            let result = try await body()
            return CommandResult(exitStatus: Int(result.exitStatus), exitSignal: result.exitSignal,
                                 stdout: result.stdoutText, stderr: result.stderrText)
        } catch {
            throw SSHTransport.transportError(error, during: .connectionLost)
        }
    }

    /// SSH output chunks handed to `onOutput` as transport output chunks.
    private static func passing(to onOutput: (@Sendable (OutputChunk) -> Void)?) -> (@Sendable (SSHOutputChunk) -> Void)? {
        guard let onOutput else { return nil }
        return { chunk in
            switch chunk {
            case let .stdout(bytes): onOutput(.stdout(bytes))
            case let .stderr(bytes): onOutput(.stderr(bytes))
            }
        }
    }

    public func prestart(_ command: String, timeout: Double?) async {
        try? await connection.prestart(command, timeout: timeout.map { .milliseconds(Int($0 * 1000)) })
    }

    public func close() async { await connection.close() }

    /// An `SSHError` as a transport error: never reached, timed out, or broken mid-way (`otherwise`).
    static func transportError(_ error: any Error, during otherwise: TransportError.Kind) -> TransportError {
        guard let ssh = error as? SSHError else { return TransportError(otherwise, "\(error)") }
        let message = ssh.message + (ssh.fix.map { " (\($0))" } ?? "")
        if ssh.isUnreachable { return TransportError(.unreachable, message) }
        switch ssh.kind {
        case .timeout: return TransportError(.timeout, message)
        case .disconnected: return TransportError(.connectionLost, message)
        case .local: return TransportError(.local, message)
        default: return TransportError(otherwise, message)
        }
    }
}
