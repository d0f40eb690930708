import DeployerModel

/// What one read-only probe found on a host: its releases, `current`, the
/// lock, and which artifacts and environments it already has.
public struct HostFacts: Hashable, Sendable, Codable {
    public var current: ReleaseID?
    /// Every directory under `releases/` with a release id's shape, oldest first.
    public var releases: [ReleaseOnHost]
    public var lock: LockState?
    /// Artifact digests present in `.deployer/artifacts/`.
    public var artifacts: Set<String>
    /// Environment directories present and complete under `envs/` (`NAME-HASH`).
    public var envs: Set<String>
    /// The release named by `.deployer/finished`: the last one whose push or rollback ran every
    /// after_switch task and health check on this host to success (`HostScripts.finish`).
    public var finished: ReleaseID?
    /// The irreversible tasks this host's `.deployer/irreversible.jsonl` records (`IrreversibleRun.merged`).
    public var irreversible: [IrreversibleRun]
    /// Maintenance mode, while it is on (`.deployer/maintenance`).
    public var maintenance: MaintenanceState?

    public init(current: ReleaseID? = nil, releases: [ReleaseOnHost] = [], lock: LockState? = nil,
                artifacts: Set<String> = [], envs: Set<String> = [], finished: ReleaseID? = nil,
                irreversible: [IrreversibleRun] = [], maintenance: MaintenanceState? = nil) {
        self.current = current; self.releases = releases.sorted { $0.id < $1.id }; self.lock = lock
        self.artifacts = artifacts; self.envs = envs; self.finished = finished; self.irreversible = irreversible
        self.maintenance = maintenance
    }

    /// Whether this host runs `release` and its run there finished: switched, every after_switch
    /// task and the health check passed. A host switched to it by a run that failed or died after
    /// the switch runs it unfinished, and a push of it must run those again there.
    public func runsFinished(_ release: ReleaseID) -> Bool {
        current == release && finished == release
    }

    /// Whether a push giving this host `release` (joining it) keeps the release directory as it is
    /// instead of preparing it: it is complete here, made from the artifact `digest` (a run died
    /// before its switch, or this host runs it unfinished). The release `current` points at is never
    /// rebuilt under it, whatever its state: the switch refuses it when it is not complete.
    public func keepsRelease(_ release: ReleaseID, digest: String) -> Bool {
        guard let existing = self.release(release) else { return false }
        return current == release || (existing.state == .good && existing.marker?.digest == digest)
    }

    /// The marker of the current release, when it is complete.
    public var currentMarker: ReleaseMarker? {
        guard let current else { return nil }
        return releases.first { $0.id == current }?.marker
    }

    /// Releases that are complete and not marked failed, oldest first.
    public var goodReleases: [ReleaseID] { releases.filter { $0.state == .good }.map(\.id) }

    /// The release a plain rollback takes this host back to: the one that was current before
    /// `current` became current, skipping releases a rollback left, failed or incomplete ones
    /// (following what each of those followed in turn). Releases switched to before deployer
    /// recorded what they followed fall back to the newest good release older than `current`
    /// that no rollback left.
    public var previous: ReleaseID? {
        guard let current else { return nil }
        var visited: Set<ReleaseID> = [current]
        var next = release(current)?.previous
        while let id = next, visited.insert(id).inserted, let candidate = release(id) {
            if candidate.state == .good && !candidate.rolledBackFrom { return id }
            next = candidate.previous
        }
        return releases.last { $0.id < current && $0.state == .good && !$0.rolledBackFrom && !visited.contains($0.id) }?.id
    }

    public func release(_ id: ReleaseID) -> ReleaseOnHost? { releases.first { $0.id == id } }
}

/// One directory under `releases/`.
public struct ReleaseOnHost: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable {
        /// Complete (has its marker) and not marked failed.
        case good
        /// Marked `.deployer-failed`: kept for inspection, never counted nor a rollback target.
        case failed
        /// No marker: half-made by a run that stopped.
        case incomplete
    }

    public var id: ReleaseID
    public var state: State
    public var marker: ReleaseMarker?
    /// The release that was current when this one last became current (nil: none, or not recorded).
    public var previous: ReleaseID?
    /// A rollback switched away from this release, and it has not been current since:
    /// a plain rollback never goes back to it (`--to` still can).
    public var rolledBackFrom: Bool

    public init(id: ReleaseID, state: State, marker: ReleaseMarker? = nil, previous: ReleaseID? = nil,
                rolledBackFrom: Bool = false) {
        self.id = id; self.state = state; self.marker = marker; self.previous = previous
        self.rolledBackFrom = rolledBackFrom
    }
}

/// The deploy lock as found on a host.
public struct LockState: Hashable, Sendable, Codable {
    /// Nil when the lock directory exists but its info could not be read (being written, or damaged).
    public var lease: LockLease?
    /// Seconds since the holder's last heartbeat, by the host's clock.
    public var heartbeatAgeSeconds: Int

    public init(lease: LockLease?, heartbeatAgeSeconds: Int) {
        self.lease = lease; self.heartbeatAgeSeconds = heartbeatAgeSeconds
    }

    /// The longest lease a lock is believed for, a day: a forged lock cannot make itself unbreakable
    /// by asking for more (the lock script cuts a `ttl` file's value the same way).
    public static let maximumTTLSeconds = 86_400

    /// A lease whose heartbeat is older than its TTL (at most `maximumTTLSeconds`); `defaultTTL`
    /// applies when the lease is unreadable.
    public func isStale(defaultTTL: Int) -> Bool {
        heartbeatAgeSeconds > min(lease?.ttlSeconds ?? defaultTTL, Self.maximumTTLSeconds)
    }
}
