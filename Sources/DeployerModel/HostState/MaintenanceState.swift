/// What a host's `.deployer/maintenance` says while maintenance mode is on: since when and who turned it on.
/// The file exists only while it is on (`deployer maintenance ENV on`, or `push --maintenance` until its finish).
public struct MaintenanceState: Hashable, Sendable, Codable {
    /// ISO 8601 UTC (controller clock).
    public var since: String
    public var by: String
    /// The run that turned it on.
    public var runID: String

    public init(since: String, by: String, runID: String) {
        self.since = since; self.by = by; self.runID = runID
    }
}
