import DeployerModel

/// `deployer switch ENV RELEASE`: switch every host to a release `push --prepare-only` prepared.
public struct SwitchRequest: Sendable {
    public var release: ReleaseID
    public var origin: RunOrigin

    public init(release: ReleaseID, origin: RunOrigin) {
        self.release = release; self.origin = origin
    }
}
