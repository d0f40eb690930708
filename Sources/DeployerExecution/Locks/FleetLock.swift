import DeployerModel
import DeployerPlanning

/// The outcome of taking the deploy lock on a whole fleet.
enum FleetLock: Sendable {
    /// Held on every host; the facts each host reported under the lock.
    case acquired([String: HostFacts])
    /// Another run holds it (or a stale lease was not broken); nothing is locked by this run.
    case held(message: String)
    /// Some hosts could not be reached or could not be locked (a read-only or full disk, no
    /// permission); this run's lock was released where it was taken, except as `release` says.
    case failed([HostFailure], release: LockRelease)
    /// `control` asked the run to stop while waiting.
    case stopped
}
