extension KnownHosts {
    /// The outcome of checking a host key against known_hosts.
    public enum Match: Sendable, Equatable {
        /// The host is known with this key.
        case match
        /// The host is not in any file.
        case notFound
        /// The host is known with a different key of the same type (or only with other types).
        case mismatch(file: String, line: Int, knownKeyType: String)
        /// The key is marked `@revoked`.
        case revoked(file: String, line: Int)
    }
}
