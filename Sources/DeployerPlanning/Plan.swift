/// What `deployer push ENV` would do, host by host: the value `deployer plan`
/// prints (as text or versioned JSON, see docs/plan.md) and the one a saved
/// plan brings back to `deployer push --plan`, which refuses to run when the
/// world no longer matches it.
public struct Plan: Hashable, Sendable, Codable {
    /// The version of this JSON shape; bumped on any incompatible change.
    public static let currentSchema = 1

    /// How the fleet as a whole would go.
    public enum Decision: String, Hashable, Sendable, Codable {
        /// A new release on every host.
        case newRelease = "new_release"
        /// Every host already runs this revision and recipe: a push changes nothing.
        case alreadyCurrent = "already_current"
        /// Some hosts (of the plan, or of the environment outside its limit) already run this revision
        /// and recipe as `release`: the other hosts would get that release; those running it change nothing.
        case join
        /// Offline, or some host could not be probed.
        case unknown
    }

    public var schema: Int
    public var app: String
    public var environment: String
    /// `ResolvedEnvironment.fingerprint` of the recipe planned with.
    public var fingerprint: String
    /// The full commit (or a `dir:` source's digest-derived name).
    public var revision: String
    /// SHA-256 of the artifact.
    public var digest: String
    /// The release id a push would create (also on hosts whose facts are unknown).
    public var release: String
    /// The controller time the release id comes from: a push of this plan creates the same id.
    public var unixTime: Int
    /// No host was contacted.
    public var offline: Bool
    /// True when made with `plan --run-guards` (the recipe's read-only
    /// `unless`/`only_if` were run), nil otherwise; `push --plan` probes the same way.
    public var runGuards: Bool?
    public var decision: Decision
    /// Why a push would stop before changing anything (a held lock: exit 3; an unreachable host: exit 4).
    public var blockers: [String]
    /// In inventory order.
    public var hosts: [PlannedHost]
    /// Hosts switched together, in order (from the environment's `rolling` policy).
    public var batches: [[String]]
    /// What each host of a batch does in the switch phase, and what a failure leads to.
    public var rollout: PlannedRollout
    /// The number of hosts of the whole environment when the plan is limited to some (`--hosts`, `--roles`).
    public var fleetHosts: Int?
    /// Tasks with `max_parallel`: at most that many hosts run the script of the task's phase at once; nil when none has it.
    public var maxParallel: [String: Int]?
    /// The build steps a push runs on the controller first, and whether their artifact is cached (then
    /// `digest` is its digest; else the digest of the revision's export they build from); nil without build steps.
    public var build: PlannedBuild?

    /// snake_case in JSON, like every other deployer format; spelled out so
    /// that dictionary keys (task names) are never converted.
    enum CodingKeys: String, CodingKey {
        case schema, app, environment, fingerprint, revision, digest, release, offline, decision, blockers, hosts, batches
        case rollout, build
        case unixTime = "unix_time"
        case fleetHosts = "fleet_hosts"
        case runGuards = "run_guards"
        case maxParallel = "max_parallel"
    }

    public init(app: String, environment: String, fingerprint: String, revision: String, digest: String,
                release: String, unixTime: Int, offline: Bool, decision: Decision, blockers: [String],
                hosts: [PlannedHost], batches: [[String]], rollout: PlannedRollout, fleetHosts: Int? = nil,
                maxParallel: [String: Int]? = nil) {
        schema = Plan.currentSchema
        self.app = app; self.environment = environment; self.fingerprint = fingerprint; self.revision = revision
        self.digest = digest; self.release = release; self.unixTime = unixTime; self.offline = offline
        self.decision = decision; self.blockers = blockers; self.hosts = hosts; self.batches = batches
        self.rollout = rollout; self.fleetHosts = fleetHosts; self.maxParallel = maxParallel
    }

    /// Hosts a push would change (new release), in inventory order.
    public var changingHosts: [String] { hosts.filter { $0.change == .newRelease }.map(\.name) }

    /// Whether a push may change something: a new release, or decisions not known.
    public var hasChanges: Bool { decision != .alreadyCurrent }
}
