import Foundation
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Runs a local program to completion through swift-subprocess: the child's pipes are served by
/// one epoll thread and its exit by one pidfd thread, both shared by every child, so a hundred
/// `ssh` processes cost no thread each (`ChildProcess` with a thread per stream cost three or four)
/// and nothing waits on Swift's cooperative pool.
///
/// What a child gets: every signal at its default disposition and none blocked (SIGPIPE too), no
/// descriptor of deployer's but its three standard ones, and with `ownProcessGroup` a process group
/// of its own. A run whose task is cancelled (a step's deadline, `DeadlineRace`) stops its child:
/// SIGTERM, then SIGKILL after `cancelGraceSeconds`.
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

    /// The program could not be started (no such file, not executable, no such directory).
    public struct StartFailure: Error, CustomStringConvertible {
        public var executable: String
        public var reason: String
        public var description: String { "cannot start \(executable): \(reason)" }
    }

    /// Seconds between SIGTERM and SIGKILL when the task running a program is cancelled.
    static let cancelGraceSeconds = 2

    /// Runs `executable` with `arguments`; `onOutput` sees output as it arrives.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                           currentDirectory: String? = nil, environment: [String: String]? = nil,
                           timeout: Double? = nil,
                           onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)? = nil)
        async throws -> Output {
        try await run(executable, arguments, input: stdin.map { [.bytes($0)] }, currentDirectory: currentDirectory,
                      environment: environment, timeout: timeout, onOutput: onOutput)
    }

    /// Runs `executable` with `input`'s pieces, in order, as its standard input (nil: nothing, end of
    /// file at once), files streamed a chunk at a time (each opened before the program starts:
    /// `UnreadableInput`). With `ownProcessGroup` the child leads a process group of its own, so a
    /// Ctrl-C at the terminal reaches deployer only, which then winds down in order. After `timeout`
    /// seconds the program is sent SIGTERM.
    public static func run(_ executable: String, _ arguments: [String], input: [CommandInput]?,
                           currentDirectory: String? = nil, environment: [String: String]? = nil,
                           ownProcessGroup: Bool = false, timeout: Double? = nil,
                           onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)? = nil)
        async throws -> Output {
        BrokenPipes.ignore
        let pieces = try InputPiece.open(input ?? [])
        var options = PlatformOptions()
        if ownProcessGroup { options.processGroupID = 0 }
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: ownProcessGroup,
                                          allowedDurationToNextStep: .seconds(cancelGraceSeconds))]
        let collected = OutputBuffers()
        let result: ExecutionResult<Void, SequenceOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments),
                environment: environment.map(Self.environment) ?? .inherit,
                workingDirectory: currentDirectory.map { FilePath($0) }, platformOptions: options,
                input: .inputWriter, output: .sequence, error: .sequence
            ) { execution in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await buffer in execution.standardOutput { collected.received(buffer, isStderr: false, onOutput) }
                    }
                    group.addTask {
                        for try await buffer in execution.standardError { collected.received(buffer, isStderr: true, onOutput) }
                    }
                    // Not awaited with the readers: a program that ends without reading all its input
                    // fails the write (EPIPE), which must not fail the run.
                    let writer = Task { await write(pieces, to: execution.standardInputWriter) }
                    let timer = timeout.map { seconds in
                        Task {
                            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                            collected.markTimedOut()
                            try? execution.send(signal: .terminate)
                        }
                    }
                    defer { timer?.cancel() }
                    try await group.waitForAll()
                    await writer.value
                }
            }
        } catch let error as SubprocessError {
            throw StartFailure(executable: executable, reason: "\(error)")
        }
        let (stdoutBytes, stderrBytes, timedOut) = collected.contents
        switch result.terminationStatus {
        case let .exited(code):
            return Output(status: code, signaled: false, stdout: stdoutBytes, stderr: stderrBytes, timedOut: timedOut)
        case let .signaled(signal):
            return Output(status: signal, signaled: true, stdout: stdoutBytes, stderr: stderrBytes, timedOut: timedOut)
        }
    }

    /// `environment` as the whole environment of the child.
    static func environment(_ environment: [String: String]) -> Subprocess.Environment {
        .custom(Dictionary(environment.compactMap { key, value in Subprocess.Environment.Key(rawValue: key).map { ($0, value) } },
                           uniquingKeysWith: { first, _ in first }))
    }

    /// Writes `pieces` to `writer` and closes it; stops at the first write the program no longer reads.
    private static func write(_ pieces: [InputPiece], to writer: StandardInputWriter) async {
        defer { pieces.forEach { $0.close() } }
        do {
            for piece in pieces {
                switch piece {
                case let .bytes(bytes):
                    _ = try await writer.write(bytes)
                case let .file(file):
                    while true {
                        let chunk = file.readChunkRetryingInterrupts()
                        if chunk.isEmpty { break }
                        _ = try await writer.write(chunk)
                    }
                }
            }
        } catch {}
        try? await writer.finish()
    }
}

/// Ignores SIGPIPE in deployer, once: swift-subprocess writes a child's standard input from whatever
/// thread serves it, so a child that exits without reading it all (a notify command that ignores its
/// stdin) would otherwise kill deployer with SIGPIPE instead of failing the write with EPIPE. Children
/// get SIGPIPE back at its default (swift-subprocess resets every signal at spawn).
private enum BrokenPipes {
    static let ignore: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}

/// A piece of standard input, its file already open.
private enum InputPiece: Sendable {
    case bytes([UInt8])
    case file(FileHandle)

    /// Opens the files among `input`; the ones opened already are closed when one cannot be.
    static func open(_ input: [CommandInput]) throws -> [InputPiece] {
        var opened: [InputPiece] = []
        for piece in input {
            switch piece {
            case let .bytes(bytes): opened.append(.bytes(bytes))
            case let .file(path):
                guard let handle = FileHandle(forReadingAtPath: path) else {
                    let code = errno
                    opened.forEach { $0.close() }
                    throw ProcessRunner.UnreadableInput(path: path, code: code)
                }
                opened.append(.file(handle))
            }
        }
        return opened
    }

    func close() {
        if case let .file(handle) = self { try? handle.close() }
    }
}

/// Output gathered from one program's two streams.
private final class OutputBuffers: Sendable {
    private struct Gathered {
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var expired = false
    }

    private let gathered = Mutex(Gathered())

    func received(_ buffer: SubprocessOutputSequence.Buffer, isStderr: Bool,
                  _ onOutput: (@Sendable (_ isStderr: Bool, _ bytes: [UInt8]) -> Void)?) {
        let bytes = buffer.withUnsafeBytes { Array($0) }
        gathered.withLock { if isStderr { $0.stderr += bytes } else { $0.stdout += bytes } }
        onOutput?(isStderr, bytes)
    }

    func markTimedOut() { gathered.withLock { $0.expired = true } }

    var contents: ([UInt8], [UInt8], Bool) { gathered.withLock { ($0.stdout, $0.stderr, $0.expired) } }
}
