/// One line of a host's `.deployer/history.jsonl`: every push, rollback,
/// broken lock, forced unlock, shared file put and task run on demand, in the order they happened on that host.
public struct HistoryRecord: Hashable, Sendable, Codable {
    public enum Action: String, Hashable, Sendable, Codable {
        case push, rollback
        case lockBroken = "lock_broken"
        case unlock
        /// A file put under `shared/` with `deployer shared ENV put` (`detail` names it; its contents are never recorded).
        case sharedPut = "shared_put"
        /// `deployer maintenance ENV on` / `off`.
        case maintenanceOn = "maintenance_on"
        case maintenanceOff = "maintenance_off"
        /// A recipe task run on demand against `current` (`deployer task ENV NAME`; `detail` names the task).
        case task
        /// `deployer push ENV --prepare-only`: the release prepared on this host and kept, nothing switched.
        case prepare
        /// `deployer switch ENV RELEASE`: the host switched to a release prepared before.
        case switchRelease = "switch"
    }

    public enum Result: String, Hashable, Sendable, Codable {
        case succeeded, failed, interrupted
    }

    public var schema: Int
    public var action: Action
    public var result: Result
    public var release: ReleaseID?
    /// The release that was current before this run switched (nil when it did not switch).
    public var previous: ReleaseID?
    public var revision: String?
    public var digest: String?
    public var fingerprint: String?
    public var origin: RunOrigin
    /// ISO 8601 UTC (controller clock).
    public var at: String
    /// For failures: what failed, in one line.
    public var detail: String?
    /// A push: the irreversible tasks it started; a rollback: those it went past (`--past-irreversible`).
    public var irreversible: [IrreversibleRun]?
    /// A push with `--maintenance`: maintenance mode was on from before its before_switch tasks to its finish.
    public var maintenance: Bool?

    public init(action: Action, result: Result, release: ReleaseID? = nil, previous: ReleaseID? = nil,
                revision: String? = nil, digest: String? = nil, fingerprint: String? = nil, origin: RunOrigin,
                at: String, detail: String? = nil) {
        schema = 1
        self.action = action; self.result = result; self.release = release; self.previous = previous
        self.revision = revision; self.digest = digest; self.fingerprint = fingerprint; self.origin = origin
        self.at = at; self.detail = detail
    }
}
