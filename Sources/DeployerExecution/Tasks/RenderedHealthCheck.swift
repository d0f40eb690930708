/// A host's health check with its templates filled in, ready for a host script.
public struct RenderedHealthCheck: Hashable, Sendable {
    /// What one try does.
    public enum Probe: Hashable, Sendable {
        /// A command run in the release directory; exit status 0 is healthy.
        case command(String)
        /// `curl` from the host to `url` (through `unixSocket` when set); healthy when the status is `status`.
        /// Both are shell words (quoted as `Template.renderWord` quotes), placed in the command as they are.
        case http(url: String, status: Int, unixSocket: String?)
    }

    public var probe: Probe
    /// Tries in all: the first one and its retries.
    public var attempts: Int
    public var intervalSeconds: Double
    public var timeoutSeconds: Double
    public var graceSeconds: Double

    public init(probe: Probe, attempts: Int, intervalSeconds: Double, timeoutSeconds: Double, graceSeconds: Double) {
        self.probe = probe; self.attempts = max(1, attempts); self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds; self.graceSeconds = graceSeconds
    }
}
