import DeployerModel
import DeployerPlanning

/// What to push: the artifact (being built while hosts are probed), who
/// asks, and whether a release identical to the current one is wanted anyway.
public struct PushRequest: Sendable {
    /// The commit when known up front (git sources), so the probe can tell a no-op before the artifact is ready.
    public var revision: String?
    public var artifact: Task<Artifact, any Error>
    /// Make a new release even when the same revision and recipe are current everywhere (`--force`).
    public var force: Bool
    /// `--maintenance`: maintenance mode on from before the before_switch tasks to the finish, and off
    /// again whatever happens (see `Executor.setMaintenance`).
    public var maintenance = false
    public var origin: RunOrigin
    /// The controller's time for the release id, in Unix seconds.
    public var unixTime: Int
    /// A saved plan (`push --plan`): the push executes only a plan made under the lock whose decisions
    /// are this one's, and refuses (exit 5) otherwise.
    public var plan: Plan?
    /// `--prepare-only`: lock, prepare every host, keep the release, switch nothing, unlock
    /// (`deployer switch ENV RELEASE` switches to it later).
    public var prepareOnly = false
    /// `--release ID`: the id the release is made under (shards of one fleet prepare the same id), not one
    /// chosen from the time.
    public var release: ReleaseID?

    /// Where the artifact of the recipe's build steps is kept: with it, `artifact` is the revision's
    /// export and the steps run on the controller before any host is touched. Nil: `artifact` is
    /// pushed as it is (a prebuilt `--artifact`, or what promote ships).
    public var buildCache: ArtifactCache?

    /// For an artifact built for the hosts' answers to build steps' `host_probe` and pushed as it is (a
    /// prebuilt `--artifact`, what promote ships): the hosts are asked again right after they connect, and
    /// the push is refused (exit 2) before any lock when they answer otherwise.
    public var hostProbeCheck: HostProbeCheck?

    public init(revision: String?, artifact: Task<Artifact, any Error>, force: Bool, origin: RunOrigin, unixTime: Int,
                plan: Plan? = nil, buildCache: ArtifactCache? = nil) {
        self.revision = revision; self.artifact = artifact; self.force = force; self.origin = origin
        self.unixTime = unixTime; self.plan = plan; self.buildCache = buildCache
    }
}
