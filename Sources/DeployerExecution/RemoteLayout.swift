import DeployerModel
import DeployerPlanning

/// Where everything lives under `deploy_to` on a host (DESIGN.md, "On each host").
///
/// Scripts refer to `deploy_to` by that name (`Scripts/preamble.sh`) and build every other path from it, so
/// the layout is written down here once.
public struct RemoteLayout: Hashable, Sendable {
    public var deployTo: String

    public init(deployTo: String) { self.deployTo = deployTo }

    public func release(_ id: ReleaseID) -> String { deployTo + "/releases/" + id.rawValue }
    public var current: String { deployTo + "/current" }
    public var shared: String { deployTo + "/shared" }
    public func envDirectory(_ key: EnvKey) -> String { deployTo + "/envs/" + key.directoryName }
    /// The directory of artifacts kept by digest.
    public var artifactStore: String { deployTo + "/.deployer/artifacts" }
    /// Where an artifact is kept on the host, by digest, so a retried push does not upload it again.
    public func artifact(digest: String) -> String { deployTo + "/.deployer/artifacts/" + digest + ".tar.gz" }

    /// Names inside a release directory that only deployer writes: an artifact
    /// with a top-level entry starting with this is refused, so a repository
    /// cannot ship a release marker that makes a half-made release look complete.
    public static let reservedReleaseEntryPrefix = ".deployer-"

    /// Names the release whose push or rollback finished on this host (one line): written by the
    /// finish step only when every after_switch task and the health check passed there, so a host
    /// switched by a run that failed or died after the switch is not taken for done
    /// (`HostFacts.runsFinished`). Relative to `deploy_to`.
    public static let finishedFile = ".deployer/finished"

    /// One `IrreversibleRun` per line, appended (never pruned): the record the rollback guard reads.
    /// Relative to `deploy_to`.
    public static let irreversibleFile = ".deployer/irreversible.jsonl"

    /// Exists while maintenance mode is on: one `MaintenanceState` line. Relative to `deploy_to`.
    public static let maintenanceFile = ".deployer/maintenance"
    /// The built-in maintenance flag, relative to `shared/`: the built-in recipes' app servers answer
    /// 503 with a page while it exists (without a recipe's `maintenance:` commands, deployer makes it).
    public static let maintenanceFlag = "maintenance.on"

    /// Names inside a release directory.
    public static let releaseMarkerFile = ".deployer-release.json"
    public static let failedMarkerFile = ".deployer-failed"
    /// The release that was current when this one last became current (one line), written by each switch.
    public static let previousFile = ".deployer-previous"
    /// Present while the release is one a rollback switched away from (removed when it is current again).
    public static let rolledBackFile = ".deployer-rolled-back"
    public static let artifactDigestFile = ".deployer-artifact"
    public static let logsDirectory = ".deployer-logs"
}
