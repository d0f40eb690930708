import Foundation
import Synchronization

/// The private directory (mode 0700) that holds a run's OpenSSH master sockets and logs, made on
/// first use under `XDG_RUNTIME_DIR` (else `TMPDIR`, else /tmp), with a watchdog that removes it.
///
/// The watchdog is a small shell reading a pipe whose other end only deployer holds: when deployer
/// exits, however it exits (done, a second Ctrl-C, SIGKILL), the read ends, and the watchdog asks
/// every master still in the directory to exit (`ssh -O exit`) and removes the directory. Nothing
/// is left behind, and a killed controller's masters close their connections at once.
public final class OpenSSHControlDirectory: Sendable {
    private let ssh: String
    private let base: String
    /// The directory and its watchdog, once made.
    private let made = Mutex<(path: String, watchdog: ChildProcess)?>(nil)

    /// `ssh`: the OpenSSH client (the watchdog runs it); `environment` says where the directory goes.
    public init(ssh: String, environment: [String: String]) {
        self.ssh = ssh
        base = Self.base(environment: environment)
    }

    /// The directory, made (with its watchdog) on the first call.
    func path() throws(TransportError) -> String {
        try made.withLock { made throws(TransportError) -> String in
            if let made { return made.path }
            let (path, watchdog) = try Self.make(under: base, ssh: ssh)
            made = (path, watchdog)
            return path
        }
    }

    /// Makes the directory under `base` and starts its watchdog.
    private static func make(under base: String, ssh: String) throws(TransportError) -> (String, ChildProcess) {
        var template = Array((base + "/deployer-ssh-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw TransportError(.local, "cannot make a private directory for ssh's sockets under \(base): "
                                 + String(cString: strerror(errno)))
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let script = #"read _; for socket in "$1"/*; do [ -S "$socket" ] && "$2" -F /dev/null -S "$socket" -O exit x 2>/dev/null; done; rm -rf "$1""#
        do {
            let watchdog = try ChildProcess("/bin/sh", ["-c", script, "deployer-ssh-watchdog", path, ssh],
                                            stdin: .pipe, stdout: .null, stderr: .null, ownGroup: true)
            return (path, watchdog)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw TransportError(.local, "cannot start the watchdog of ssh's sockets: \(error)")
        }
    }

    /// Where the directory goes: a master's socket path must fit in `sun_path` (107 bytes and its
    /// NUL on Linux), and `ssh -M` first binds it under a temporary name, the path plus `.` and 16
    /// random characters (OpenSSH's `muxserver_listen`): the directory, `/`, 40 characters of `%C`
    /// and those 17 make the longest name. A deeper `XDG_RUNTIME_DIR` or `TMPDIR` gives way to /tmp.
    static func base(environment: [String: String]) -> String {
        let candidates = [environment["XDG_RUNTIME_DIR"], environment["TMPDIR"]].compactMap { $0 }
            .filter { $0.hasPrefix("/") && FileManager.default.isWritableFile(atPath: $0) }
            .map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
        return candidates.first { ($0 + "/deployer-ssh-XXXXXX/").utf8.count + 40 + 17 <= 107 } ?? "/tmp"
    }
}
