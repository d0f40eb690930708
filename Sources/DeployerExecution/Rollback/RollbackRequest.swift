import DeployerModel

/// What to roll back to (`--to`, else the previous good release) and who asks.
public struct RollbackRequest: Sendable {
    public var target: ReleaseID?
    public var origin: RunOrigin
    /// `--past-irreversible`: go back past releases an irreversible task ran for (see `IrreversibleRun`).
    public var pastIrreversible: Bool

    public init(target: ReleaseID?, origin: RunOrigin, pastIrreversible: Bool = false) {
        self.target = target; self.origin = origin; self.pastIrreversible = pastIrreversible
    }
}
