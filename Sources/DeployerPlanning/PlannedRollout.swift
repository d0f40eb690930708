import DeployerModel

/// How a push's switch phase would go, from the environment's `rolling` and
/// `health`: what each host of a batch does, and what a failure leads to.
public struct PlannedRollout: Hashable, Sendable, Codable {
    /// On each host of a batch, in order: `drain`, `switch`, `after_switch`, `health`, `undrain` (those configured).
    /// A hook that runs elsewhere says where (`drain on controller`, `undrain on lb1`); a health check
    /// declared under roles names them (`health (roles web: their own; others: the environment's)`).
    public var perHost: [String]
    /// Seconds between batches.
    public var pauseSeconds: Double
    /// Hosts that may fail before no further batch starts.
    public var maxFailures: Int
    /// `rollback` (hosts switched so far go back) or `halt`.
    public var onFailure: String

    enum CodingKeys: String, CodingKey {
        case perHost = "per_host", pauseSeconds = "pause_seconds", maxFailures = "max_failures", onFailure = "on_failure"
    }

    public init(environment: ResolvedEnvironment) {
        let rolling = environment.rolling
        perHost = Self.step(.drain, rolling.drain) + ["switch"]
            + (environment.tasks(in: .afterSwitch).isEmpty ? [] : ["after_switch"])
            + Self.health(environment) + Self.step(.undrain, rolling.undrain)
        pauseSeconds = rolling.pauseSeconds
        maxFailures = rolling.failureBudget(hostCount: environment.hosts.count)
        onFailure = rolling.onFailure.rawValue
    }

    /// `drain`, or `drain on controller` when the hook does not run on the host itself; nothing without a hook.
    private static func step(_ hook: RolloutHook, _ command: RolloutHookCommand?) -> [String] {
        guard let command else { return [] }
        return [command.target == .switchedHost ? hook.rawValue : "\(hook.rawValue) on \(command.target)"]
    }

    /// `health` when only the environment declares a check; with checks under
    /// roles, which roles have their own and what the other hosts get.
    private static func health(_ environment: ResolvedEnvironment) -> [String] {
        let roles = environment.hosts.flatMap(\.roles).reduce(into: [String]()) { seen, role in
            if environment.roleHealth[role] != nil, !seen.contains(role) { seen.append(role) }
        }
        if roles.isEmpty { return environment.health == nil ? [] : ["health"] }
        let others = environment.health == nil ? "none" : "the environment's"
        return ["health (role" + (roles.count == 1 ? " " : "s ") + roles.joined(separator: ", ")
            + ": " + (roles.count == 1 ? "its own" : "their own") + "; others: \(others))"]
    }

    /// One line: `each host: drain, switch, health, undrain; max 0 failures, then rollback; pause 10 s`.
    public var text: String {
        "each host: " + perHost.joined(separator: ", ") + "; max \(maxFailures) failed hosts, then \(onFailure)"
            + (pauseSeconds > 0 ? "; pause \(pauseSeconds) s between batches" : "")
    }
}
