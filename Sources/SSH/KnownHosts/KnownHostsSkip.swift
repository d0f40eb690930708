/// Why a known_hosts line is not used (malformed, or a feature deployer does not support).
struct KnownHostsSkip: Error, Sendable {
    /// A sentence for the user, e.g. "@cert-authority lines are not supported by deployer; the line is ignored".
    let reason: String
}
