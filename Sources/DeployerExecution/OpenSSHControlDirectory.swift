import Foundation

/// The private directory (mode 0700) that holds a run's OpenSSH master sockets and logs, made on
/// first use under `XDG_RUNTIME_DIR` (else `TMPDIR`, else /tmp), with a watchdog that removes it.
///
/// The watchdog is a small shell reading a pipe whose other end only deployer holds: when deployer
/// exits, however it exits (done, a second Ctrl-C, SIGKILL), the read ends, and the watchdog asks
/// every master still in the directory to exit (`ssh -O exit`) and removes the directory. Nothing
/// is left behind, and a killed controller's masters close their connections at once.
public final class OpenSSHControlDirectory: @unchecked Sendable {
    private let ssh: String
    private let base: String
    private let lock = NSLock()
    private var made: (path: String, watchdog: ChildProcess)?

    /// `ssh`: the OpenSSH client (the watchdog runs it); `environment` says where the directory goes.
    public init(ssh: String, environment: [String: String]) {
        self.ssh = ssh
        base = Self.base(environment: environment)
    }

    /// The directory, made (with its watchdog) on the first call.
    func path() throws(TransportError) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made.path }
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
            made = (path, watchdog)
            return path
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw TransportError(.local, "cannot start the watchdog of ssh's sockets: \(error)")
        }
    }

    /// Where the directory goes: a socket's path (the directory, `/`, 40 characters of `%C`) must fit
    /// in 104 bytes, so a deep `TMPDIR` gives way to /tmp.
    static func base(environment: [String: String]) -> String {
        let candidates = [environment["XDG_RUNTIME_DIR"], environment["TMPDIR"]].compactMap { $0 }
            .filter { $0.hasPrefix("/") && FileManager.default.isWritableFile(atPath: $0) }
            .map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
        return candidates.first { ($0 + "/deployer-ssh-XXXXXX/").utf8.count + 40 <= 104 } ?? "/tmp"
    }
}
