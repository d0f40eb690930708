/// What `releases/ID/.deployer-release.json` holds: written last when a
/// release is complete, so a release without it is recognisably half-made.
public struct ReleaseMarker: Hashable, Sendable, Codable {
    public var schema: Int
    public var release: ReleaseID
    public var revision: String
    /// SHA-256 (hex) of the artifact the release was extracted from.
    public var digest: String
    /// `ResolvedEnvironment.fingerprint` of the recipe that made it.
    public var fingerprint: String
    /// `ResolvedEnvironment.releaseFingerprint` of that recipe (the fingerprint without the hosts);
    /// nil in markers written before deployer recorded it.
    public var releaseFingerprint: String?
    /// Size in bytes of the artifact: `deployer promote` fetches no more than this from a host. Nil in
    /// markers written before deployer recorded it.
    public var bytes: Int?
    /// ISO 8601 UTC time the push started on the controller.
    public var createdAt: String
    public var createdBy: String
    /// When the revision's commit was made (Unix seconds), written to the release's `REVISION_TIME`;
    /// nil for a `dir:` source and in markers written before deployer recorded it.
    public var revisionTime: Int?

    public init(release: ReleaseID, revision: String, digest: String, fingerprint: String,
                releaseFingerprint: String? = nil, bytes: Int? = nil, createdAt: String, createdBy: String,
                revisionTime: Int? = nil) {
        schema = 1
        self.release = release; self.revision = revision; self.digest = digest
        self.fingerprint = fingerprint; self.releaseFingerprint = releaseFingerprint; self.bytes = bytes
        self.createdAt = createdAt; self.createdBy = createdBy; self.revisionTime = revisionTime
    }

    /// Whether every field that paths and commands are built from has its expected shape: a marker is read
    /// back from a host, and `deployer promote` names the next release after its revision and fetches the
    /// artifact by its digest. A valid release id, a SHA-256 in lower-case hex, and a revision of hex digits
    /// (a commit) or `dir-` and hex digits.
    public var isWellFormed: Bool {
        func isHex<S: StringProtocol>(_ text: S) -> Bool { !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }
        return ReleaseID.isValid(release.rawValue) && digest.count == 64 && isHex(digest)
            && (isHex(revision) || (revision.hasPrefix("dir-") && isHex(revision.dropFirst(4)))) && (bytes ?? 0) >= 0
    }

    /// Whether a push of `revision` with recipe `fingerprint` would make the same release again.
    public func matches(revision: String, fingerprint: String) -> Bool {
        self.revision == revision && self.fingerprint == fingerprint
    }

    /// Whether other hosts may be given this very release by a push of `revision` with this recipe:
    /// the same revision and the same recipe, or a recipe that differs only in its hosts.
    public func joinable(revision: String, fingerprint: String, releaseFingerprint: String) -> Bool {
        matches(revision: revision, fingerprint: fingerprint)
            || (self.revision == revision && !releaseFingerprint.isEmpty && self.releaseFingerprint == releaseFingerprint)
    }
}
