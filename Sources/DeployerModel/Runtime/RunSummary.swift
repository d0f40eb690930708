/// The last event of a run: its result and, host by host, the release each
/// host is left on, so nobody has to guess the state of the fleet.
public struct RunSummary: Hashable, Sendable, Codable {
    public enum Result: String, Hashable, Sendable, Codable, CaseIterable {
        case succeeded
        case alreadyCurrent = "already_current"
        case failed
        case lockHeld = "lock_held"
        case unreachable
        case interrupted
        case usage
        /// A saved plan (`push --plan`) no longer matches the recipe, the artifact or the hosts.
        case planStale = "plan_stale"

        /// The documented exit code of a run that ended this way (README, "Exit codes").
        public var exitStatus: Int32 {
            switch self {
            case .succeeded, .alreadyCurrent: return 0
            case .failed, .interrupted: return 1
            case .usage: return 2
            case .lockHeld: return 3
            case .unreachable: return 4
            case .planStale: return 5
            }
        }
    }

    public struct HostState: Hashable, Sendable, Codable {
        public var host: String
        /// The release `current` points at after the run, nil when none or unknown.
        public var current: ReleaseID?
        /// False when the host could not be reached at the end, so `current` is the last one seen.
        public var known: Bool
        public var lockReleased: Bool
        public init(host: String, current: ReleaseID?, known: Bool, lockReleased: Bool) {
            self.host = host; self.current = current; self.known = known; self.lockReleased = lockReleased
        }
    }

    public var action: RunAction
    public var result: Result
    public var release: ReleaseID?
    /// One paragraph a person can act on (which host, which task, which status, what to run next).
    public var message: String
    public var hosts: [HostState]
    public var seconds: Double
    /// The tasks skipped because their `check:` found nothing pending, by task (empty: none).
    public var skippedTasks: [SkippedTask] = []

    public init(action: RunAction, result: Result, release: ReleaseID?, message: String, hosts: [HostState],
                seconds: Double) {
        self.action = action; self.result = result; self.release = release; self.message = message
        self.hosts = hosts; self.seconds = seconds
    }
}
