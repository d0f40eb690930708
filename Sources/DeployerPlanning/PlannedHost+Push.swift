import DeployerModel

extension PlannedHost {
    /// The name of the step that sends the artifact ahead of prepare.
    public static let uploadStep = "upload"

    /// Whether a push sends the artifact to this host: it does not already run the release, and its
    /// upload step is not skipped (the host lacks the artifact, or nothing is known of it).
    public var receivesArtifact: Bool {
        change != .unchanged && steps.first { $0.phase == nil && $0.name == PlannedHost.uploadStep }?.action != .skip
    }

    /// The releases a successful push deletes on this host; none when not known.
    public var releasesToPrune: [ReleaseID] { (prune ?? []).map(ReleaseID.init(rawValue:)) }
}
