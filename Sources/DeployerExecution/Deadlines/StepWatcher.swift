import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches a build step's process group, polling every 50 ms on a task (no thread of its own): when
/// the run is asked to stop (Ctrl-C, SIGTERM) or the step's deadline passes, sends SIGTERM to the
/// whole group, then SIGKILL after `grace` seconds if anything of it is still there. When the group's
/// leader has ended, kills what it left running in its group, so no child outlives the step (and
/// none keeps its output open).
struct StepWatcher: Sendable {
    /// Why the watcher stopped the step, if it did.
    struct Verdict: Sendable {
        var timedOut = false
        var stoppedBy: String?
    }

    /// The process group: the id of its leader, the step's shell.
    let group: pid_t
    let control: RunControl
    let deadline: ContinuousClock.Instant?
    let grace: Double

    /// Returns once the group's leader has ended and the rest of its group has been sent SIGKILL.
    func watch() async -> Verdict {
        var verdict = Verdict()
        var terminatedAt: ContinuousClock.Instant?
        while !leaderEnded {
            let now = ContinuousClock.now
            if let terminatedAt {
                if terminatedAt.duration(to: now) >= .milliseconds(Int(grace * 1000)) { _ = kill(-group, SIGKILL) }
            } else if let reason = control.stopReason {
                verdict.stoppedBy = reason
                _ = kill(-group, SIGTERM)
                terminatedAt = now
            } else if let deadline, now >= deadline {
                verdict.timedOut = true
                _ = kill(-group, SIGTERM)
                terminatedAt = now
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        _ = kill(-group, SIGKILL)
        return verdict
    }

    /// Whether the leader has exited: gone (reaped) or a zombie waiting to be.
    private var leaderEnded: Bool {
        guard kill(group, 0) == 0 else { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(group)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }
}
