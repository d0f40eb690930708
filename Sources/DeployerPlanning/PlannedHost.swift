/// What a push would do on one host, as `deployer plan` shows it.
public struct PlannedHost: Hashable, Sendable, Codable {
    /// Whether the host would change.
    public enum Change: String, Hashable, Sendable, Codable {
        /// A new release would be made and switched to.
        case newRelease = "new_release"
        /// It already runs this revision and recipe (and so does every other host): nothing to do.
        case unchanged
        /// Not known: offline, or the host could not be probed.
        case unknown
    }

    public var name: String
    public var roles: [String]
    public var change: Change
    /// The release it runs now; nil when it has none or it is not known (see `facts`).
    public var current: String?
    /// Why the host could not be probed.
    public var unreachable: String?
    /// The deploy lock as found: who holds it, and whether it is stale.
    public var lock: String?
    /// Upload, environments and tasks in the order a push runs them.
    public var steps: [PlannedStep]
    /// Releases the push would delete after switching; nil when not known.
    public var prune: [String]?
    /// What the decisions depended on; nil offline or when unreachable.
    public var facts: PlanFacts?

    public init(name: String, roles: [String], change: Change, current: String? = nil, unreachable: String? = nil,
                lock: String? = nil, steps: [PlannedStep] = [], prune: [String]? = nil, facts: PlanFacts? = nil) {
        self.name = name; self.roles = roles; self.change = change; self.current = current
        self.unreachable = unreachable; self.lock = lock; self.steps = steps; self.prune = prune; self.facts = facts
    }

    /// The steps that would run, as `PHASE/NAME` (`upload` for the upload).
    public var stepsToRun: [String] {
        steps.filter { $0.action == .run }.map { ($0.phase.map { $0.rawValue + "/" } ?? "") + $0.name }
    }
}
