import DeployerModel

/// What a task's guards (`creates`, `unless`, `only_if`) said when a host was
/// probed for a plan. Guards are read-only by contract: the probe runs them,
/// so a guard that changes the host breaks the promise that a plan changes nothing.
public struct GuardResult: Hashable, Sendable, Codable {
    /// True when a guard holds (the task is skipped), false when none does
    /// (the task runs), nil when the probe could not tell.
    public var holds: Bool?
    /// Why: the guard that held, or why the result is unknown.
    public var reason: String?

    public init(holds: Bool?, reason: String? = nil) { self.holds = holds; self.reason = reason }

    /// A guard held: the task is skipped for `reason`.
    public static func skip(_ reason: String) -> GuardResult { GuardResult(holds: true, reason: reason) }
    /// No guard held: the task runs.
    public static let clear = GuardResult(holds: false)
    /// The guard cannot be evaluated before the push (e.g. it looks inside the new release).
    public static func unknown(_ reason: String) -> GuardResult { GuardResult(holds: nil, reason: reason) }

    /// The key of a task's guard result: `PHASE/TASK`.
    public static func key(phase: Phase, task: String) -> String { phase.rawValue + "/" + task }

    /// The key of what a plan learnt of a task's `check`: `check:PHASE/TASK`. Always unknown: a check
    /// answers for the new release, which a plan cannot ask; its reason says what the plan did ask.
    public static func checkKey(phase: Phase, task: String) -> String { "check:" + key(phase: phase, task: task) }
}
