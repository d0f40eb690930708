import DeployerModel

/// One thing a push would do on a host, and whether it would: the artifact
/// upload (`upload`), a dependency environment (`env:NAME`), or a task.
public struct PlannedStep: Hashable, Sendable, Codable {
    /// Run, skip, or unknown (offline, or a guard that cannot be evaluated beforehand).
    public enum Action: String, Hashable, Sendable, Codable { case run, skip, unknown }

    /// Nil for the upload, which comes before every phase.
    public var phase: Phase?
    /// `upload`, `env:NAME` (as the push reports an environment build), or the task's name.
    public var name: String
    public var action: Action
    public var reason: String?

    public init(phase: Phase?, name: String, action: Action, reason: String? = nil) {
        self.phase = phase; self.name = name; self.action = action; self.reason = reason
    }
}
