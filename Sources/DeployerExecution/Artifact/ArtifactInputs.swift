import Checksums

/// Everything that decides what a cached artifact holds, so that a cache entry is reused only for
/// the very contents it was made from. The cache names its file after `cacheKey` and records `text`
/// beside it (`KEY.inputs`); the builder compares that record with the inputs of the push before it
/// reuses the file, and rebuilds on any difference.
///
/// Two apps in one repository (`apps/api`, `apps/web`, each with `source: { git: . }`) share the
/// commit and its root tree but not their artifacts: `tree` is the tree that is archived (the source
/// directory's), never the root's.
public struct ArtifactInputs: Hashable, Sendable {
    /// The id of the git tree archived: the source directory's tree at the commit.
    public var tree: String
    /// Where that tree lies in its repository (`apps/web/`; empty at the root).
    public var subdirectory: String
    /// Whether the trees of the submodules (at the commits the tree records) are in the artifact.
    public var submodules: Bool
    /// What makes the artifact from the tree besides `git archive`: `none` until recipes have build
    /// steps, then their fingerprint (commands, environment, declared inputs).
    public var buildSteps: String

    public init(tree: String, subdirectory: String, submodules: Bool, buildSteps: String = "none") {
        self.tree = tree; self.subdirectory = subdirectory; self.submodules = submodules; self.buildSteps = buildSteps
    }

    /// One `name value` line per input, in a fixed order: what the cache records beside the artifact.
    public var text: String {
        [
            "schema 1",
            "source git",
            "tree " + tree,
            "subdirectory " + (subdirectory.isEmpty ? "." : subdirectory),
            "submodules " + (submodules ? "true" : "false"),
            "build_steps " + buildSteps,
        ].joined(separator: "\n") + "\n"
    }

    /// SHA-256 (hex) of `text`: the cache file's name.
    public var cacheKey: String {
        var digest = SHA256()
        digest.update(Array(text.utf8))
        return SHA256.hex(digest.finalize())
    }
}
