import DeployerModel

/// What one host does in its batch of a rolling switch: the release to point
/// `current` at, the hooks around the switch, the tasks after it and the
/// health check, all rendered for that host.
public struct RolloutScript: Sendable {
    public var release: ReleaseID
    public var runID: String
    /// Run before the switch (take the host out of the load balancer); nil for none.
    public var drain: String?
    public var tasks: [(phase: Phase, tasks: [ScriptTask])]
    public var health: RenderedHealthCheck?
    /// Run after the health check passed (put the host back); nil for none.
    public var undrain: String?

    public init(release: ReleaseID, runID: String, drain: String?, tasks: [(phase: Phase, tasks: [ScriptTask])],
                health: RenderedHealthCheck?, undrain: String?) {
        self.release = release; self.runID = runID; self.drain = drain; self.tasks = tasks
        self.health = health; self.undrain = undrain
    }
}
