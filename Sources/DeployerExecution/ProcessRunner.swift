import Foundation

/// Runs a local program to completion on threads of its own, never on Swift's
/// cooperative pool (whose few threads must not block on a child process).
public enum ProcessRunner {
    /// How a local program ended and what it printed.
    public struct Output: Sendable {
        public var status: Int32
        public var signaled: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    /// Runs `executable` with `arguments`; `onOutput` sees output as it arrives.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                           currentDirectory: String? = nil, environment: [String: String]? = nil,
                           timeout: Double? = nil,
                           onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)? = nil)
        async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try runBlocking(executable, arguments, stdin: stdin, currentDirectory: currentDirectory,
                                    environment: environment, timeout: timeout, onOutput: onOutput)
                })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], stdin: [UInt8]?,
                                    currentDirectory: String?, environment: [String: String]?, timeout: Double?,
                                    onOutput: (@Sendable (Bool, [UInt8]) -> Void)?) throws -> Output {
        let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                                     stdin: stdin == nil ? .null : .pipe)
        let readers = DispatchGroup()
        let collected = OutputBuffers()
        for (isStderr, handle) in [(false, child.standardOutput!), (true, child.standardError!)] {
            readers.enter()
            Thread {
                while true {
                    let bytes = handle.readChunkRetryingInterrupts()
                    if bytes.isEmpty { break }
                    collected.append(bytes, isStderr: isStderr)
                    onOutput?(isStderr, bytes)
                }
                readers.leave()
            }.start()
        }
        if let stdin, let handle = child.standardInput {
            Thread {
                // A child that exits without reading its input must not take deployer down with SIGPIPE:
                // blocked on this thread, the signal stays pending here (and is dropped with the thread)
                // while the write fails with EPIPE.
                var pipeSignal = sigset_t()
                sigemptyset(&pipeSignal)
                sigaddset(&pipeSignal, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
                try? handle.write(contentsOf: stdin)
                try? handle.close()
            }.start()
        }
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { child.signal(SIGTERM) }
        }
        let exit = child.waitForExit()
        readers.wait()
        let (stdoutBytes, stderrBytes) = collected.contents
        return Output(status: exit.status, signaled: exit.signaled, stdout: stdoutBytes, stderr: stderrBytes)
    }
}

/// Output gathered by the reader threads of one process.
private final class OutputBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []

    func append(_ bytes: [UInt8], isStderr: Bool) {
        lock.withLock { if isStderr { stderr += bytes } else { stdout += bytes } }
    }

    var contents: ([UInt8], [UInt8]) { lock.withLock { (stdout, stderr) } }
}
