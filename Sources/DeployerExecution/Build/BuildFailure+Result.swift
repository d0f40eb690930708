import DeployerModel

extension BuildFailure {
    /// How a run that this failure stopped ends (README, "Exit codes"): a failed or interrupted build
    /// exits 1 like a failed deploy (every host keeps its release), a recipe problem 2, a host
    /// its `host_probe` could not reach 4.
    public var runResult: RunSummary.Result {
        switch kind {
        case .failed: .failed
        case .interrupted: .interrupted
        case .recipe: .usage
        case .unreachable: .unreachable
        }
    }
}
