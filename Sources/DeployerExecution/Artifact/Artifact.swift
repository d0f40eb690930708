import DeployerPlanning

/// The compressed tree of one revision on the controller: built once per
/// run (or found in the cache), hashed, and uploaded to hosts that lack it.
public struct Artifact: Hashable, Sendable {
    /// A `.tar.gz` file on the controller.
    public var path: String
    /// SHA-256 hex of the file.
    public var digest: String
    public var bytes: Int
    /// The full commit id, or for a `dir:` source a digest-derived name.
    public var revision: String
    /// Each dependency environment's key, from the key files in this revision.
    public var envKeys: [String: EnvKey]
    /// When the commit was made (Unix seconds, git's committer date), for the release's `REVISION_TIME`;
    /// nil for a `dir:` source.
    public var revisionTime: Int?
    /// What the hosts answered to the build steps' `host_probe` (by step name) when it was built for
    /// them: recorded in an artifact file's manifest, so a later push checks its hosts still answer so.
    public var hostProbes: [String: String]

    public init(path: String, digest: String, bytes: Int, revision: String, envKeys: [String: EnvKey],
                revisionTime: Int? = nil, hostProbes: [String: String] = [:]) {
        self.path = path; self.digest = digest; self.bytes = bytes; self.revision = revision; self.envKeys = envKeys
        self.revisionTime = revisionTime; self.hostProbes = hostProbes
    }
}
