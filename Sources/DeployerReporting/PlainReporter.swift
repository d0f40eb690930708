import DeployerModel
import Foundation

/// One line per event, prefixed by the host it concerns: for logs, CI and
/// pipes, where a live terminal view would be noise.
public final class PlainReporter: Reporter, @unchecked Sendable {
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()

    /// `write` receives each line with its newline (standard output by default).
    public init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.write = write
    }

    public func report(_ event: DeployEvent) {
        guard let line = PlainReporter.line(for: event) else { return }
        lock.withLock { write(line + "\n") }
    }

    /// The line an event prints as, nil for events too fine for plain output.
    public static func line(for event: DeployEvent) -> String? {
        switch event {
        case let .runStarted(action, environment, runID, hosts):
            return "\(action.rawValue) \(environment): \(hosts.count) host\(hosts.count == 1 ? "" : "s") (run \(runID))"
        case let .artifactReady(revision, digest, bytes):
            return "artifact \(revision.prefix(12)): \(bytes) bytes, sha256 \(digest.prefix(12))"
        case let .releaseChosen(release, _):
            return "release \(release)"
        case let .hostConnected(host, seconds):
            return "\(host) | connected in \(milliseconds(seconds))"
        case let .hostUnreachable(host, message):
            return "\(host) | unreachable: \(message)"
        case let .probed(host, current):
            return "\(host) | current: \(current?.rawValue ?? "none")"
        case .stepStarted:
            return nil
        case let .stepFinished(host, step, seconds, outcome):
            switch outcome {
            case .succeeded: return "\(host) | \(step.rawValue) ok (\(milliseconds(seconds)))"
            case let .skipped(reason): return "\(host) | \(step.rawValue) skipped: \(reason)"
            case let .failed(task, status, message, tail):
                var line = "\(host) | \(step.rawValue) FAILED"
                if let task { line += " in task \(task)" }
                if let status { line += " (exit \(status))" }
                if !message.isEmpty { line += ": \(message)" }
                return ([line] + tail.map { "\(host) |   \($0)" }).joined(separator: "\n")
            }
        case let .taskStarted(host, task, phase):
            return "\(host) | \(phase.rawValue) \(task) …"
        case let .taskFinished(host, task, phase, seconds, status):
            return "\(host) | \(phase.rawValue) \(task) " + (status == 0 ? "ok" : "exit \(status)")
                + " (\(milliseconds(seconds)))"
        case let .taskSkipped(host, task, phase, reason):
            return "\(host) | \(phase.rawValue) \(task) skipped: \(reason)"
        case let .envReady(host, name, directory, reused):
            return "\(host) | env \(name) \(reused ? "reused" : "built"): \(directory)"
        case let .lockAcquired(host):
            return "\(host) | locked"
        case let .lockRefused(host, holder, age, stale):
            return "\(host) | lock held by \(holder?.origin.who ?? "unknown")"
                + (age.map { ", heartbeat \($0)s ago" } ?? "") + (stale ? " (stale)" : "")
        case let .lockBroken(host, previous):
            return "\(host) | took over the stale lock of \(previous?.origin.who ?? "unknown")"
        case let .lockReleased(host):
            return "\(host) | unlocked"
        case let .switched(host, from, to, kind):
            return "\(host) | \(kind == .push ? "switched" : kind.rawValue) \(from?.rawValue ?? "none") -> \(to)"
        case let .alreadyCurrent(release):
            return "already at \(release)"
        case let .interruptRequested(signal):
            return "\(signal): finishing the step in flight, then stopping (press Ctrl-C again to exit at once)"
        case let .summary(summary):
            return "\(summary.action.rawValue) \(summary.result.rawValue) in \(milliseconds(summary.seconds)): \(summary.message)"
        }
    }

    private static func milliseconds(_ seconds: Double) -> String {
        seconds < 10 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
    }
}
