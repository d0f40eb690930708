import DeployerModel

/// How a push's switch phase would go, from the environment's `rolling` and
/// `health`: what each host of a batch does, and what a failure leads to.
public struct PlannedRollout: Hashable, Sendable, Codable {
    /// On each host of a batch, in order: `drain`, `switch`, `after_switch`, `health`, `undrain` (those configured).
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
        perHost = (rolling.drain == nil ? [] : ["drain"]) + ["switch"]
            + (environment.tasks(in: .afterSwitch).isEmpty ? [] : ["after_switch"])
            + (environment.health == nil ? [] : ["health"]) + (rolling.undrain == nil ? [] : ["undrain"])
        pauseSeconds = rolling.pauseSeconds
        maxFailures = rolling.failureBudget(hostCount: environment.hosts.count)
        onFailure = rolling.onFailure.rawValue
    }

    /// One line: `each host: drain, switch, health, undrain; max 0 failures, then rollback; pause 10 s`.
    public var text: String {
        "each host: " + perHost.joined(separator: ", ") + "; max \(maxFailures) failed hosts, then \(onFailure)"
            + (pauseSeconds > 0 ? "; pause \(pauseSeconds) s between batches" : "")
    }
}
