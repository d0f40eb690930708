import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches a build step's process group from a thread of its own: when the run is asked to stop
/// (Ctrl-C, SIGTERM) or the step's deadline passes, sends SIGTERM to the whole group, then SIGKILL
/// after `grace` seconds if anything of it is still there. Polls every 50 ms.
final class StepWatcher: Sendable {
    /// Why the watcher stopped the step, if it did.
    struct Verdict: Sendable {
        var timedOut = false
        var stoppedBy: String?
    }

    private let child: ChildProcess
    private let control: RunControl
    private let deadline: ContinuousClock.Instant?
    private let grace: Double
    private let done = Atomic<Bool>(false)
    private let state = Mutex(Verdict())

    init(child: ChildProcess, control: RunControl, deadline: ContinuousClock.Instant?, grace: Double) {
        self.child = child; self.control = control; self.deadline = deadline; self.grace = grace
    }

    /// Blocks until `stop` (call it on a thread of its own).
    func watch() {
        var terminatedAt: ContinuousClock.Instant?
        while !done.load(ordering: .acquiring) {
            let now = ContinuousClock.now
            if let terminatedAt {
                if terminatedAt.duration(to: now) >= .milliseconds(Int(grace * 1000)) { child.signalGroup(SIGKILL) }
            } else if let reason = control.stopReason {
                state.withLock { $0.stoppedBy = reason }
                child.signalGroup(SIGTERM)
                terminatedAt = now
            } else if let deadline, now >= deadline {
                state.withLock { $0.timedOut = true }
                child.signalGroup(SIGTERM)
                terminatedAt = now
            }
            usleep(50_000)
        }
    }

    /// The step's process has ended: stop watching.
    func stop() { done.store(true, ordering: .releasing) }

    var verdict: Verdict { state.withLock { $0 } }
}
