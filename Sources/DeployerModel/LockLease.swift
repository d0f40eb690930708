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

    public init(origin: RunOrigin, since: String, ttlSeconds: Int) {
        schema = 1
        self.origin = origin; self.since = since; self.ttlSeconds = ttlSeconds
    }
}
