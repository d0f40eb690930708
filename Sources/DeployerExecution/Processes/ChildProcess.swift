import CSpawn
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A local program started with `deployer_spawn` (posix_spawn) rather than
/// Foundation's `Process`, whose `run()` on Linux reads past the end of a
/// buffer while listing /proc/self/fd and crashed test runs (see cspawn.h).
///
/// `waitForExit` blocks: call it off Swift's cooperative pool.
public final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe whose other end this object holds.
        case pipe
        /// The same descriptor as this process's.
        case inherit
        /// Standard error only: the same pipe as standard output.
        case standardOutput
    }

    /// How the child ended.
    public struct Exit: Sendable, Equatable {
        /// The exit status, or the signal number when `signaled`.
        public var status: Int32
        public var signaled: Bool

        /// Exit status 0, not killed by a signal.
        public var succeeded: Bool { status == 0 && !signaled }
    }

    /// The child could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public var executable: String
        public var code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    public let id: pid_t
    /// This process's ends of the pipes asked for (`.pipe`); nil otherwise.
    public let standardInput: FileHandle?
    public let standardOutput: FileHandle?
    public let standardError: FileHandle?

    /// How the child ended, once `waitForExit` has reaped it.
    private let reaped = Mutex<Exit?>(nil)

    /// Starts `executable` (an absolute path) with `arguments`; `environment`
    /// replaces this process's when given. With `ownGroup` the child leads a process group of
    /// its own (its id is the group's), which `signalGroup` reaches whole.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil, stdin: Stream = .null, stdout: Stream = .pipe,
                stderr: Stream = .pipe, ownGroup: Bool = false) throws {
        var childEnds: [Int32] = []
        defer { childEnds.forEach { _ = close($0) } }
        /// The child's descriptor for `stream` on `standard`, and this process's end of its pipe.
        func descriptors(_ stream: Stream, _ standard: Int32, reading: Bool) throws -> (child: Int32, parent: FileHandle?) {
            switch stream {
            case .null: return (-1, nil)
            case .inherit: return (standard, nil)
            case .standardOutput: return (-1, nil)
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else { throw SpawnError(executable: executable, code: errno) }
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                let (child, parent) = reading ? (ends[0], ends[1]) : (ends[1], ends[0])
                childEnds.append(child)
                return (child, FileHandle(fileDescriptor: parent, closeOnDealloc: true))
            }
        }
        let input = try descriptors(stdin, 0, reading: true)
        let output = try descriptors(stdout, 1, reading: false)
        var error = try descriptors(stderr, 2, reading: false)
        if case .standardOutput = stderr { error.child = output.child }

        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(environmentLines) { envp in
                if ownGroup {
                    return deployer_spawn_group_leader(&pid, executable, argv, envp, currentDirectory,
                                                       input.child, output.child, error.child)
                }
                if let currentDirectory {
                    return deployer_spawn(&pid, executable, argv, envp, currentDirectory, input.child, output.child, error.child)
                }
                return deployer_spawn(&pid, executable, argv, envp, nil, input.child, output.child, error.child)
            }
        }
        guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        id = pid
        standardInput = input.parent
        standardOutput = output.parent
        standardError = error.parent
    }

    /// Blocks until the child has ended and reaps it.
    public func waitForExit() -> Exit {
        if let exit = reaped.withLock({ $0 }) { return exit }
        // Wait without reaping, so that `signal` never reaches another process that got this id.
        var info = siginfo_t()
        while waitid(P_PID, id_t(id), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        return reaped.withLock { exit in
            if let exit { return exit }
            var raw: Int32 = 0
            while waitpid(id, &raw, 0) == -1 && errno == EINTR {}
            let signal = raw & 0x7f
            let ended = signal == 0 ? Exit(status: (raw >> 8) & 0xff, signaled: false) : Exit(status: signal, signaled: true)
            exit = ended
            return ended
        }
    }

    /// Sends `signal` to the child unless it has been reaped.
    public func signal(_ signal: Int32) {
        reaped.withLock { if $0 == nil { _ = kill(id, signal) } }
    }

    /// Sends `signal` to every process of the group the child leads (`ownGroup`), whether or not the
    /// child itself is still there: what it started in the background goes too.
    public func signalGroup(_ signal: Int32) {
        _ = kill(-id, signal)
    }

    /// Whether the child has been reaped by `waitForExit`.
    public var hasExited: Bool { reaped.withLock { $0 != nil } }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
