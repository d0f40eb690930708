import DeployerModel

/// What `deployer rollback ENV [--to RELEASE]` would do, host by host: the value `deployer plan ENV
/// --rollback` prints (as text or versioned JSON, see docs/plan.md) from a read-only probe, and the one a
/// rollback executes, made by `RollbackPlanner` from the facts it read under its lock. Release ids are
/// plain strings, as in `Plan`.
public struct RollbackPlan: Hashable, Sendable, Codable {
    /// The version of this JSON shape; bumped on any incompatible change.
    public static let currentSchema = 1

    /// How the fleet as a whole would go.
    public enum Decision: String, Hashable, Sendable, Codable {
        /// The hosts of `hosts` that `switches` would switch to `target`.
        case rollBack = "roll_back"
        /// Every host already runs `target`: nothing changes.
        case alreadyCurrent = "already_current"
        /// No rollback: no release every host can go to (`refusal` says why and what to do).
        case refused
        /// `target` is older than a release an `irreversible: true` task ran for (`irreversible`): refused
        /// without `--past-irreversible` (exit 2, `refusal` names each run and the command that goes on anyway).
        case pastIrreversible = "past_irreversible"
        /// Some host could not be probed (`unreachable`): nothing is known of the fleet as a whole.
        case unknown
    }

    /// One host's part: where it is and whether it would switch.
    public struct Host: Hashable, Sendable, Codable {
        public var name: String
        /// The release it runs now; nil when it has none or it is not known.
        public var current: String?
        /// True when it runs another release than the plan's target: the rollback switches it (when the
        /// plan's decision is `roll_back`; refused, it would).
        public var switches: Bool
        /// Why the host could not be probed.
        public var unreachable: String?

        public init(name: String, current: String?, switches: Bool, unreachable: String? = nil) {
            self.name = name; self.current = current; self.switches = switches; self.unreachable = unreachable
        }
    }

    public var schema: Int
    public var environment: String
    /// The release asked for with `--to`; nil for the previous one.
    public var requested: String?
    public var decision: Decision
    /// The release every host would run; nil when refused or unknown.
    public var target: String?
    /// Why there would be no rollback, and what to do (`refused`, `past_irreversible`, `unknown`).
    public var refusal: String?
    /// The irreversible task runs the rollback goes past (for any host, newest releases last); empty when none.
    public var irreversible: [IrreversibleRun]
    /// True when made with `--past-irreversible`: a rollback past `irreversible` goes ahead.
    public var pastIrreversible: Bool
    /// In inventory order.
    public var hosts: [Host]

    enum CodingKeys: String, CodingKey {
        case schema, environment, requested, decision, target, refusal, irreversible, hosts
        case pastIrreversible = "past_irreversible"
    }

    public init(environment: String, requested: String?, decision: Decision, target: String?, refusal: String?,
                irreversible: [IrreversibleRun], pastIrreversible: Bool, hosts: [Host]) {
        schema = RollbackPlan.currentSchema
        self.environment = environment; self.requested = requested; self.decision = decision; self.target = target
        self.refusal = refusal; self.irreversible = irreversible; self.pastIrreversible = pastIrreversible
        self.hosts = hosts
    }

    /// `target` as a release id.
    public var targetRelease: ReleaseID? { target.map(ReleaseID.init(rawValue:)) }

    /// The hosts the rollback would switch, in inventory order.
    public var switchingHosts: [String] { hosts.filter(\.switches).map(\.name) }
}
