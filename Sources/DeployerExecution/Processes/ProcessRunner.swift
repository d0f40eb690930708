import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a local program to completion on threads of its own, never on Swift's
/// cooperative pool (whose few threads must not block on a child process).
public enum ProcessRunner {
    /// How a local program ended and what it printed.
    public struct Output: Sendable {
        public var status: Int32
        public var signaled: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// Whether the program was still running when its timeout came (it was then sent SIGTERM).
        public var timedOut = false
    }

    /// A file meant for the program's standard input cannot be read; the program was not started.
    public struct UnreadableInput: Error, CustomStringConvertible {
        public var path: String
        /// The errno value of the failed open.
        public var code: Int32
        public var description: String { "cannot read \(path): \(String(cString: strerror(code)))" }
    }

    /// Runs `executable` with `arguments`; `onOutput` sees output as it arrives.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                           currentDirectory: String? = nil, environment: [String: String]? = nil,
                           timeout: Double? = nil,
                           onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)? = nil)
        async throws -> Output {
        try await run(executable, arguments, input: stdin.map { [.bytes($0)] }, currentDirectory: currentDirectory,
                      environment: environment, timeout: timeout, onOutput: onOutput)
    }

    /// Runs `executable` with `input`'s pieces, in order, as its standard input (nil: /dev/null), files
    /// streamed a chunk at a time (each opened before the program starts: `UnreadableInput`).
    /// `ownProcessGroup`: see `ChildProcess`. After `timeout` seconds the program is sent SIGTERM.
    public static func run(_ executable: String, _ arguments: [String], input: [CommandInput]?,
                           currentDirectory: String? = nil, environment: [String: String]? = nil,
                           ownProcessGroup: Bool = false, timeout: Double? = nil,
                           onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)? = nil)
        async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try runBlocking(executable, arguments, input: input, currentDirectory: currentDirectory,
                                    environment: environment, ownProcessGroup: ownProcessGroup, timeout: timeout,
                                    onOutput: onOutput)
                })
            }
            thread.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: [CommandInput]?,
                                    currentDirectory: String?, environment: [String: String]?, ownProcessGroup: Bool,
                                    timeout: Double?, onOutput: (@Sendable (Bool, [UInt8]) -> Void)?) throws -> Output {
        let pieces = try (input ?? []).map { piece throws -> InputPiece in
            switch piece {
            case let .bytes(bytes): return .bytes(bytes)
            case let .file(path):
                guard let handle = FileHandle(forReadingAtPath: path) else { throw UnreadableInput(path: path, code: errno) }
                return .file(handle)
            }
        }
        let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                                     stdin: input == nil ? .null : .pipe, ownGroup: ownProcessGroup)
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
        if let handle = child.standardInput {
            Thread { write(pieces, to: handle) }.start()
        }
        let timer = timeout.map { seconds in
            let item = DispatchWorkItem {
                collected.markTimedOut()
                child.signal(SIGTERM)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        let exit = child.waitForExit()
        timer?.cancel()
        readers.wait()
        let (stdoutBytes, stderrBytes) = collected.contents
        return Output(status: exit.status, signaled: exit.signaled, stdout: stdoutBytes, stderr: stderrBytes,
                      timedOut: collected.timedOut)
    }

    /// A piece of standard input, its file already open.
    private enum InputPiece {
        case bytes([UInt8])
        case file(FileHandle)
    }

    /// Writes `pieces` to `handle` and closes it; stops at the first write the program no longer reads.
    /// SIGPIPE is blocked on this thread, so a program that exits early fails the write (EPIPE) instead of
    /// killing deployer; the signal left pending goes with the thread.
    private static func write(_ pieces: [InputPiece], to handle: FileHandle) {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        defer { try? handle.close() }
        for piece in pieces {
            switch piece {
            case let .bytes(bytes):
                guard (try? handle.write(contentsOf: bytes)) != nil else { return }
            case let .file(file):
                defer { try? file.close() }
                while true {
                    let chunk = file.readChunkRetryingInterrupts()
                    if chunk.isEmpty { break }
                    guard (try? handle.write(contentsOf: chunk)) != nil else { return }
                }
            }
        }
    }
}

/// Output gathered by the reader threads of one process.
private final class OutputBuffers: Sendable {
    private struct Gathered {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var expired = false
    }

    private let gathered = Mutex(Gathered())

    func append(_ bytes: [UInt8], isStderr: Bool) {
        gathered.withLock { if isStderr { $0.stderr += bytes } else { $0.stdout += bytes } }
    }

    func markTimedOut() { gathered.withLock { $0.expired = true } }

    var contents: ([UInt8], [UInt8]) { gathered.withLock { ($0.stdout, $0.stderr) } }

    var timedOut: Bool { gathered.withLock { $0.expired } }
}
