/// A task a run skipped on some hosts for one reason, named in the run's summary: today the tasks
/// whose `check:` found nothing pending (a `once` migrate with no new migration), so a person reading
/// only the summary still learns that they did not run, where, and why.
public struct SkippedTask: Hashable, Sendable, Codable {
    public var task: String
    public var phase: Phase
    /// The hosts it was skipped on, in the order they reported it.
    public var hosts: [String]
    /// Why, as the `task_skipped` events said (`check: nothing pending`).
    public var reason: String

    public init(task: String, phase: Phase, hosts: [String], reason: String) {
        self.task = task; self.phase = phase; self.hosts = hosts; self.reason = reason
    }
}
