/// The outcome of a remote command that ran to completion (it may still have failed).
public struct SSHExecResult: Sendable, Equatable {
    /// What was written to standard output: its last `OutputTail.limit` bytes (empty when capture was off).
    public var stdout: [UInt8]
    /// What was written to standard error: its last `OutputTail.limit` bytes (empty when capture was off).
    public var stderr: [UInt8]
    /// Bytes of standard output before those kept in `stdout`.
    public var stdoutDropped: Int
    /// Bytes of standard error before those kept in `stderr`.
    public var stderrDropped: Int
    /// The exit status; meaningless when `exitSignal` is set (the server then reports 0).
    public var exitStatus: Int32
    /// The signal that killed the command (`TERM`, `KILL`, …), if one did.
    public var exitSignal: String?

    /// Creates a result.
    public init(stdout: [UInt8], stderr: [UInt8], exitStatus: Int32, exitSignal: String?,
                stdoutDropped: Int = 0, stderrDropped: Int = 0) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutDropped = stdoutDropped
        self.stderrDropped = stderrDropped
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
    }

    /// Exit status 0 and no signal.
    public var succeeded: Bool { exitSignal == nil && exitStatus == 0 }

    /// `exit 2`, `signal KILL` or `ok`, for summaries.
    public var statusDescription: String {
        if let exitSignal { return "signal \(exitSignal)" }
        return exitStatus == 0 ? "ok" : "exit \(exitStatus)"
    }

    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// Standard error decoded as UTF-8 (invalid bytes replaced).
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
