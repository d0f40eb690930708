/// The content of a host's `.deployer/lock/info.json`: a lease held by one run.
///
/// The lease is refreshed by a heartbeat (`.deployer/lock/heartbeat`, the
/// host's clock in Unix seconds); older than `ttlSeconds`, it is stale.
public struct LockLease: Hashable, Sendable, Codable {
    public var schema: Int
    public var origin: RunOrigin
    /// ISO 8601 UTC time the lock was taken (controller clock).
    public var since: String
    public var ttlSeconds: Int

    /// The lease a run takes unless the recipe says otherwise (`lock_ttl:`).
    public static let defaultTTLSeconds = 300
    /// The shortest and longest `lock_ttl:` a recipe may set: a lease shorter than a few heartbeats
    /// could go stale under a run that gets on; hosts believe no lease past a day (`LockState.maximumTTLSeconds`).
    public static let ttlRange = 10...86_400

    /// How often a run refreshes a lease of `ttlSeconds`: every 30 s, or more often for a lease under
    /// 150 s, so that a lease outlives four missed heartbeats.
    public static func heartbeatSeconds(ttlSeconds: Int) -> Double { min(30, Double(ttlSeconds) / 5) }

    public init(origin: RunOrigin, since: String, ttlSeconds: Int) {
        schema = 1
        self.origin = origin; self.since = since; self.ttlSeconds = ttlSeconds
    }
}
