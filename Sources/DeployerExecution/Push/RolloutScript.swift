import DeployerModel

/// What one host does in its batch of a rolling switch: the release to point
/// `current` at, the hooks around the switch, the tasks after it and the
/// health check, all rendered for that host. A hook that runs on the
/// controller or another host is run around the host's script, not in it.
public struct RolloutScript: Sendable {
    /// nil takes the host back to having no release, as before its first
    /// deploy: `current` is removed (switching back a failed first deploy).
    public var release: ReleaseID?
    /// Forward in a push or rollback, or back (`revert`): decides what the switch records (see `HostScripts.switch`).
    public var kind: SwitchKind
    public var runID: String
    /// Run before the switch (take the host out of the load balancer); nil for none.
    public var drain: RenderedHook?
    public var tasks: [(phase: Phase, tasks: [ScriptTask])]
    public var health: RenderedHealthCheck?
    /// Run after the health check passed (put the host back); nil for none.
    public var undrain: RenderedHook?

    public init(release: ReleaseID?, kind: SwitchKind, runID: String, drain: RenderedHook?,
                tasks: [(phase: Phase, tasks: [ScriptTask])], health: RenderedHealthCheck?, undrain: RenderedHook?) {
        self.release = release; self.kind = kind; self.runID = runID; self.drain = drain; self.tasks = tasks
        self.health = health; self.undrain = undrain
    }

    /// The hook if it runs inside the host's own script.
    func onHost(_ hook: RolloutHook) -> String? {
        self[hook].flatMap { $0.target == .switchedHost ? $0.command : nil }
    }

    /// The hook if it runs on the controller or another host, around the host's script.
    func elsewhere(_ hook: RolloutHook) -> RenderedHook? {
        self[hook].flatMap { $0.target == .switchedHost ? nil : $0 }
    }

    private subscript(hook: RolloutHook) -> RenderedHook? {
        switch hook {
        case .drain: return drain
        case .undrain: return undrain
        }
    }
}
