/// What a deployer binary is: its version and the commit it was built from
/// (`commit` comes from BuildCommitPlugin at build time).
public enum BuildInfo {
    /// The release version; packages and tarballs carry it in their file names.
    public static let version = "0.1.0"

    /// `deployer --version`: `0.1.0 (commit 3f2a9c1d0e4b)`, or `(commit
    /// unknown)` for a build made outside a git checkout.
    public static var versionLine: String {
        "\(version) (commit \(commit ?? "unknown"))"
    }
}
