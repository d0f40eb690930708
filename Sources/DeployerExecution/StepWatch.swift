import Foundation

/// The steps a run has in flight, each with its deadline, so that the heartbeat can tell a run that
/// gets on from one that is stuck: leases are refreshed only while every step in flight is within
/// its deadline and the run has not been idle between steps for longer than `idleLimit`. A stuck
/// run's locks then go stale as a dead run's do, and `--break-stale-lock` can take them.
final class StepWatch: @unchecked Sendable {
    // @unchecked Sendable: every field but `idleLimit` is only touched with `lock` held.
    private struct Entry {
        var what: String
        var deadline: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var inFlight: [UInt64: Entry] = [:]
    private var nextID: UInt64 = 0
    private var lastChange: ContinuousClock.Instant
    /// How long a run may have no step in flight (the controller between steps) and still count as getting on.
    let idleLimit: Duration

    init(idleLimit: Duration = .seconds(StepDeadline.scriptSeconds), now: ContinuousClock.Instant = .now) {
        self.idleLimit = idleLimit
        lastChange = now
    }

    /// Notes that `what` (`prepare on web1`) began at `now` with `deadline`; pass the result to `end`.
    func begin(_ what: String, deadline: StepDeadline, now: ContinuousClock.Instant = .now) -> UInt64 {
        lock.withLock {
            nextID += 1
            inFlight[nextID] = Entry(what: what, deadline: now + .milliseconds(Int(deadline.seconds * 1000)))
            lastChange = now
            return nextID
        }
    }

    /// Notes that the step `begin` returned `id` for has ended.
    func end(_ id: UInt64, now: ContinuousClock.Instant = .now) {
        lock.withLock {
            inFlight[id] = nil
            lastChange = now
        }
    }

    /// Why the run is not getting on at `now` (a step past its deadline, or no step for too long); nil while it is.
    func stall(at now: ContinuousClock.Instant = .now) -> String? {
        lock.withLock {
            if let late = inFlight.values.filter({ $0.deadline < now }).min(by: { $0.deadline < $1.deadline }) {
                return "\(late.what) is past its deadline"
            }
            if inFlight.isEmpty, now - lastChange > idleLimit {
                return "no step has run for \(Int((now - lastChange).seconds)) s"
            }
            return nil
        }
    }
}
