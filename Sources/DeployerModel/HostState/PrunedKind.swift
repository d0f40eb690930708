/// What a host deleted to keep its disk within `keep_releases` (a `pruned` event).
public enum PrunedKind: String, Hashable, Sendable, Codable {
    /// A release directory under `releases/`.
    case release
    /// A dependency environment under `envs/` that no kept release links, or whose build failed.
    case env
    /// A stored artifact under `.deployer/artifacts/` that no kept release was extracted from.
    case artifact
}
