import DeployerModel
import Foundation

/// The local record of a run: every event as a JSON line (masked like all
/// output), one file per run in `~/.local/state/deployer/logs/<UTC time>-<env>-<action>-<run id>.jsonl`
/// unless `--log-file` names another file, so that what happened can be read
/// after the terminal is gone.
public struct AuditLog: Sendable {
    /// The file the events go to.
    public let path: String
    /// Writes to the file, off the caller's thread.
    public let sink: OutputSink

    /// `$XDG_STATE_HOME/deployer/logs` when set, else `$HOME/.local/state/deployer/logs`, with the
    /// account's home (`passwdHome`) only when `HOME` is unset: deployer's own state follows `HOME`
    /// and XDG, as other tools' does (ssh_config alone follows OpenSSH and the account's home).
    public static func defaultDirectory(environment: [String: String], passwdHome: String) -> String {
        let absolute = { (name: String) in environment[name].flatMap { $0.hasPrefix("/") ? $0 : nil } }
        let state = absolute("XDG_STATE_HOME") ?? (absolute("HOME") ?? passwdHome) + "/.local/state"
        return state + "/deployer/logs"
    }

    /// `20261129T053300Z-prod-push-mj3x1a-1k9z2q.jsonl`: sorts by time, says what ran, and is this
    /// run's alone (its run id); `/` in names becomes `_`.
    public static func fileName(at date: Date, environment: String, action: String, runID: String) -> String {
        let stamp = Timestamp.compact(date)
        let safe = { (name: String) in name.replacingOccurrences(of: "/", with: "_") }
        return "\(stamp)-\(safe(environment))-\(safe(action))-\(safe(runID)).jsonl"
    }

    /// Opens `path` for appending, creating its directory (mode 0700) and the
    /// file (mode 0600: it names hosts, commands and people) when missing.
    public static func open(path: String) throws -> AuditLog {
        try makeDirectories((path as NSString).deletingLastPathComponent, for: path)
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return AuditLog(path: path, sink: OutputSink(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)))
    }

    /// `mkdir -p` with mode 0700, so the reason for a failure is the system's own words.
    private static func makeDirectories(_ directory: String, for path: String) throws {
        var partial = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o700) != 0, errno != EEXIST {
                throw CannotOpen(path: path, reason: "\(partial): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The log file could not be opened for writing.
    public struct CannotOpen: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write the audit log \(path): \(reason)" }
    }
}
