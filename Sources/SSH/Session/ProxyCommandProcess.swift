import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `ProxyCommand`: started as OpenSSH starts it (`$SHELL -c 'exec COMMAND'`), its
/// standard input and output one end of a Unix socket pair whose other end carries the session,
/// its standard error kept in an unlinked temporary file for the connection's error messages.
///
/// Not Sendable: owned by one session and used on its thread. `stop` (or deinit) kills and
/// reaps the child; the session owns and closes `socket`.
final class ProxyCommandProcess {
    /// The command as run, tokens expanded.
    let command: String
    let pid: pid_t
    /// This side's end of the socket pair, non-blocking: the session's socket.
    let socket: Int32
    private let errorFile: Int32
    private var exitStatus: Int32?

    /// How much of the command's standard error an error message quotes, at most.
    static let errorTailBytes = 2048

    /// Starts `command` under `shell`; throws an error about `host` when it cannot be started.
    init(command: String, shell: String, host: String) throws(SSHError) {
        func failure(_ what: String) -> SSHError {
            // Unreachable, as when the command starts and fails: the host cannot be reached this way.
            SSHError(.unreachable, host: host, "cannot run the ProxyCommand \(command): \(what)")
        }
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw failure("cannot create a socket pair: \(TCPSocket.describe(errno))")
        }
        var template = Array("/tmp/deployer-proxy-XXXXXX".utf8CString)
        let errorFile = mkstemp(&template)
        guard errorFile >= 0 else {
            ends.forEach { _ = close($0) }
            throw failure("cannot create a file for its standard error: \(TCPSocket.describe(errno))")
        }
        unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        _ = fcntl(errorFile, F_SETFD, FD_CLOEXEC)
        var pid: pid_t = 0
        let words: [String] = [shell, "-c", "exec \(command)"]
        let arguments = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        let code = arguments.withUnsafeBufferPointer {
            deployer_spawn_in_own_group(&pid, shell, $0.baseAddress!, environ, ends[1], ends[1], errorFile)
        }
        close(ends[1])
        guard code == 0 else {
            close(ends[0])
            close(errorFile)
            throw failure("cannot start \(shell): \(TCPSocket.describe(code))")
        }
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        self.command = command
        self.pid = pid
        self.socket = ends[0]
        self.errorFile = errorFile
    }

    deinit {
        stop()
        close(errorFile)
    }

    /// The command's exit status once it has ended (reaping it), nil while it runs.
    func exited() -> Int32? {
        if exitStatus == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exitStatus = status }
        }
        return exitStatus
    }

    /// How the command ended, and the last of its standard error, for an error message; empty
    /// while it runs and has said nothing.
    var report: String {
        var parts: [String] = []
        if let status = exited() {
            let signal = status & 0x7F
            parts.append(signal == 0 ? "the ProxyCommand exited with status \((status >> 8) & 0xFF)" : "the ProxyCommand was killed by signal \(signal)")
        }
        let size = lseek(errorFile, 0, SEEK_END)
        if size > 0 {
            let count = min(Int(size), Self.errorTailBytes)
            var buffer = [UInt8](repeating: 0, count: count)
            let read = pread(errorFile, &buffer, count, off_t(Int(size) - count))
            let text = String(decoding: buffer.prefix(max(read, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { parts.append("its standard error:\n    " + text.split(separator: "\n").joined(separator: "\n    ")) }
        }
        return parts.joined(separator: "; ")
    }

    /// Ends the command: SIGTERM to its process group, SIGKILL after a second, then reaps it.
    /// Blocks for at most that second: call it on the session's thread.
    func stop() {
        guard exited() == nil else { return }
        kill(-pid, SIGTERM)
        for _ in 0..<100 {
            if exited() != nil { return }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        if waitpid(pid, &status, 0) == pid { exitStatus = status }
    }
}

