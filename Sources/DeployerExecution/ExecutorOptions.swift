import DeployerModel

/// How a fleet run behaves, from the command line's flags.
public struct ExecutorOptions: Hashable, Sendable {
    /// Hosts worked on at the same time (`--parallel`).
    public var parallel: Int
    /// How long to wait for a held lock before giving up with exit 3 (`--lock-wait`).
    public var lockWaitSeconds: Double
    /// Take over a lock whose heartbeat is older than its TTL (`--break-stale-lock`).
    public var breakStaleLock: Bool
    /// A lease not refreshed for this long is stale (the recipe's `lock_ttl:`).
    public var lockTTLSeconds: Int
    /// How often a run refreshes its leases.
    public var heartbeatSeconds: Double
    /// Failed or half-made releases kept per host for inspection.
    public var keepFailedReleases: Int

    public init(parallel: Int = 20, lockWaitSeconds: Double = 0, breakStaleLock: Bool = false,
                lockTTLSeconds: Int = LockLease.defaultTTLSeconds, heartbeatSeconds: Double = 30, keepFailedReleases: Int = 3) {
        self.parallel = max(1, parallel); self.lockWaitSeconds = lockWaitSeconds; self.breakStaleLock = breakStaleLock
        self.lockTTLSeconds = lockTTLSeconds; self.heartbeatSeconds = heartbeatSeconds
        self.keepFailedReleases = keepFailedReleases
    }
}
