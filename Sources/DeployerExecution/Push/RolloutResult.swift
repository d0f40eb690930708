import DeployerModel

/// Where a rolling switch left the fleet, host by host, and why it ended.
struct RolloutResult: Sendable {
    /// How the rollout ended.
    enum Ending: Sendable, Equatable {
        /// Every batch ran (failures, if any, stayed within `max_failures`).
        case completed
        /// Failures exceeded the budget; the hosts of the batches run were switched back.
        case rolledBack
        /// Failures exceeded the budget with `on_failure: halt`: the fleet is left split.
        case halted
        /// A stop was requested between batches (the reason, e.g. `SIGINT`).
        case stopped(String)
    }

    var ending = Ending.completed
    /// The release `current` points at on each host, as far as this run knows.
    var currents: [String: ReleaseID?]
    /// The hosts whose last rollout script of this run (forward, or back) ran to its end, with the
    /// release it left them on: switched, every task and the health check passed, undrained. The
    /// finish step records these, and only these, as finished (`HostScripts.FinishInput.finished`).
    var finished: [String: ReleaseID] = [:]
    /// Hosts lost mid-batch, whose `current` is the last one seen.
    var unknown: Set<String> = []
    /// Failures going forward, in the order they were found.
    var failures: [HostFailure] = []
    /// Failures while switching hosts back.
    var revertFailures: [HostFailure] = []
    /// The batches that ran going forward, in order.
    var batchesRun: [[String]] = []
    /// How many batches the rollout had.
    var batchCount = 0
    /// Failures tolerated before the rollout stops.
    var budget = 0
    /// Hosts of batches that never started.
    var neverSwitched: [String] = []
}
