import DeployerModel

/// A run that deployer stopped before any host changed, for a reason that is no recipe
/// diagnostic: a saved plan gone stale (exit 5), a release that cannot be promoted, an artifact
/// that cannot be made. `CommandRun` prints it and ends the run with a summary of `result`.
struct RunRefusal: Error, CustomStringConvertible {
    var result: RunSummary.Result
    /// What happened and what to do, for a person.
    var message: String

    var description: String { message }
}
