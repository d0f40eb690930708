/// What a push would build on the controller before it touches a host: the environment's build steps
/// and whether the cache already holds their artifact for this revision.
public struct PlannedBuild: Hashable, Sendable, Codable {
    /// The artifact in the cache that a push ships (SHA-256); nil when the push would build it.
    public var digest: String?
    /// SHA-256 of the revision's export the steps build from.
    public var source: String
    /// The steps' fingerprint (commands, env, outputs, the secrets they use): with `source`, the cache's key.
    public var fingerprint: String
    /// In `needs` order, their commands as run (secrets masked).
    public var steps: [PlannedBuildStep]

    public init(digest: String?, source: String, fingerprint: String, steps: [PlannedBuildStep]) {
        self.digest = digest; self.source = source; self.fingerprint = fingerprint; self.steps = steps
    }

    /// `digest` is written as null when nothing is cached (JSON readers find the key either way).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digest, forKey: .digest)
        try container.encode(source, forKey: .source)
        try container.encode(fingerprint, forKey: .fingerprint)
        try container.encode(steps, forKey: .steps)
    }

    /// `1 step: compile`, `2 steps: deps, compile`.
    public var summary: String {
        "\(steps.count) step\(steps.count == 1 ? "" : "s"): " + steps.map(\.name).joined(separator: ", ")
    }
}
