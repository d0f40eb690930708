import DeployerModel
import SSH

/// One piece of a command's standard input: bytes, or a local file streamed (never whole in memory).
public typealias CommandInput = SSHInput

/// A way to run commands on one host and send it files: SSH for remote
/// hosts, a local process for tests and controller-side work.
///
/// One transport serves every command of a run on its host, so a
/// connection is opened once and each further command costs one round trip.
public protocol Transport: Sendable {
    /// Runs `command` (already wrapped by the environment's `RemoteShell`),
    /// feeding it `input` piece after piece, and calls `onOutput` with output as it arrives.
    func run(_ command: String, input: [CommandInput], timeout: Double?,
             onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult

    /// Says that `run(command, …)` with standard input will follow the next `run`: a transport
    /// may get that command ready meanwhile (SSH starts it on a spare channel, saving two round
    /// trips). Call it only when that `run` is certain; it changes nothing else.
    func prestart(_ command: String, timeout: Double?) async

    /// Runs `script` with `shell` (a command that reads a script on standard input, like `sh -s`),
    /// in a subshell whose standard input is /dev/null. Scripts run one after another on a host
    /// may share one shell (SSH keeps it open: no channel to open, no shell to start).
    func runScript(_ script: String, shell: String,
                   onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult

    /// Gets `shell`, the shell `runScript` sends scripts to, ready for the next script, so that the
    /// script costs its own round trip only (SSH: opens its channel and starts it, two round trips
    /// that can overlap another host's work). Runs nothing on the host.
    func startScriptShell(_ shell: String) async

    /// Runs `command` without standard input, its output handed only to `onOutput` as it arrives: the
    /// result's `stdout` and `stderr` are empty, so output of any size costs no memory (`deployer run`).
    func stream(_ command: String, timeout: Double?,
                onOutput: @escaping @Sendable (OutputChunk) -> Void) async throws(TransportError) -> CommandResult

    /// Closes the connection; further calls fail.
    func close() async
}

extension Transport {
    /// Nothing to get ready: local processes start at once.
    public func prestart(_ command: String, timeout: Double?) async {}

    /// Nothing to get ready: each script starts a shell of its own.
    public func startScriptShell(_ shell: String) async {}

    /// `run`, keeping nothing of the output.
    public func stream(_ command: String, timeout: Double?,
                       onOutput: @escaping @Sendable (OutputChunk) -> Void) async throws(TransportError) -> CommandResult {
        var result = try await run(command, input: [], timeout: timeout, onOutput: onOutput)
        (result.stdout, result.stderr) = ("", "")
        return result
    }

    /// A fresh `shell` per script.
    public func runScript(_ script: String, shell: String,
                          onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        try await run(shell, stdin: Array(("(\n" + script + "\n) </dev/null\n").utf8), timeout: nil, onOutput: onOutput)
    }

    /// `run` with `stdin` (nil: none) as the whole standard input.
    public func run(_ command: String, stdin: [UInt8]?, timeout: Double?,
                    onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        try await run(command, input: stdin.map { [.bytes($0)] } ?? [], timeout: timeout, onOutput: onOutput)
    }
}

/// Bytes a command wrote, in arrival order per stream.
public enum OutputChunk: Sendable {
    case stdout([UInt8])
    case stderr([UInt8])
}

/// How a remote command ended and what it printed.
public struct CommandResult: Sendable, Hashable {
    public var exitStatus: Int
    /// The signal that killed the command (e.g. `TERM`), when one did.
    public var exitSignal: String?
    public var stdout: String
    public var stderr: String

    public init(exitStatus: Int, exitSignal: String? = nil, stdout: String, stderr: String) {
        self.exitStatus = exitStatus; self.exitSignal = exitSignal; self.stdout = stdout; self.stderr = stderr
    }

    /// Exit status 0 and no signal.
    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
}

/// Why a transport could not run a command: these are host problems
/// (exit 4 when it happens before anything changed), never task failures.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Could not connect or authenticate.
        case unreachable
        /// The connection broke while a command ran: its outcome is unknown.
        case connectionLost
        case timeout
        /// The controller could not supply the command (a file for its input is unreadable).
        case local
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }
}

/// Opens the transport to a host; the executor connects each host once per run.
public protocol Connector: Sendable {
    func connect(to host: FleetHost) async throws(TransportError) -> any Transport
}
