import DeployerModel

/// A run ended before it changed anything, with the summary it reports: thrown by
/// `Executor.connectAndLock` when a host cannot be reached or the fleet lock is not taken.
struct RunEnded: Error {
    let summary: RunSummary
}
