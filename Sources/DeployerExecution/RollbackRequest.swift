import DeployerModel

/// What to roll back to (`--to`, else the previous good release) and who asks.
public struct RollbackRequest: Sendable {
    public var target: ReleaseID?
    public var origin: RunOrigin

    public init(target: ReleaseID?, origin: RunOrigin) { self.target = target; self.origin = origin }
}
