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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        if let environment { process.environment = environment }
        let stdoutPipe = Pipe(), stderrPipe = Pipe(), stdinPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdin == nil ? FileHandle.nullDevice : stdinPipe
        try process.runSerialized()

        let readers = DispatchGroup()
        let collected = OutputBuffers()
        for (isStderr, pipe) in [(false, stdoutPipe), (true, stderrPipe)] {
            readers.enter()
            Thread {
                let handle = pipe.fileHandleForReading
                while true {
                    let bytes = handle.readChunkRetryingInterrupts()
                    if bytes.isEmpty { break }
                    collected.append(bytes, isStderr: isStderr)
                    onOutput?(isStderr, bytes)
                }
                readers.leave()
            }.start()
        }
        if let stdin {
            Thread {
                let handle = stdinPipe.fileHandleForWriting
                try? handle.write(contentsOf: stdin)
                try? handle.close()
            }.start()
        }
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
                if process.isRunning { process.terminate() }
            }
        }
        let exit = process.waitForExit()
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
