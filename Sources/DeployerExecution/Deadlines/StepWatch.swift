import Foundation
import Synchronization

/// The steps a run has in flight, each with its deadline, so that the heartbeat can tell a run that
/// gets on from one that is stuck: leases are refreshed only while every step in flight is within
/// its deadline and the run has not been idle between steps for longer than `idleLimit`. A stuck
/// run's locks then go stale as a dead run's do, and `--break-stale-lock` can take them.
final class StepWatch: Sendable {
    private struct Entry {
        var what: String
        var deadline: ContinuousClock.Instant
    }

    private struct Steps {
        var inFlight: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var lastChange: ContinuousClock.Instant
    }

    private let steps: Mutex<Steps>
    /// How long a run may have no step in flight (the controller between steps) and still count as getting on.
    let idleLimit: Duration

    init(idleLimit: Duration = .seconds(StepDeadline.scriptSeconds), now: ContinuousClock.Instant = .now) {
        self.idleLimit = idleLimit
        steps = Mutex(Steps(lastChange: now))
    }

    /// Notes that `what` (`prepare on web1`) began at `now` with `deadline`; pass the result to `end`.
    func begin(_ what: String, deadline: StepDeadline, now: ContinuousClock.Instant = .now) -> UInt64 {
        steps.withLock { steps in
            steps.nextID += 1
            steps.inFlight[steps.nextID] = Entry(what: what, deadline: now + .milliseconds(Int(deadline.seconds * 1000)))
            steps.lastChange = now
            return steps.nextID
        }
    }

    /// Notes that the step `begin` returned `id` for has ended.
    func end(_ id: UInt64, now: ContinuousClock.Instant = .now) {
        steps.withLock { steps in
            steps.inFlight[id] = nil
            steps.lastChange = now
        }
    }

    /// Why the run is not getting on at `now` (a step past its deadline, or no step for too long); nil while it is.
    func stall(at now: ContinuousClock.Instant = .now) -> String? {
        steps.withLock { steps in
            if let late = steps.inFlight.values.filter({ $0.deadline < now }).min(by: { $0.deadline < $1.deadline }) {
                return "\(late.what) is past its deadline"
            }
            if steps.inFlight.isEmpty, now - steps.lastChange > idleLimit {
                return "no step has run for \(Int((now - steps.lastChange).seconds)) s"
            }
            return nil
        }
    }
}
