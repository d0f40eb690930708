import DeployerModel
import DeployerPlanning

/// One push after the lock was taken: the release being made and what each host does for it.
struct PushAttempt: Sendable {
    var release: ReleaseID
    var artifact: Artifact
    var origin: RunOrigin
    /// Each host's facts as read under the lock, before anything changed.
    var facts: [String: HostFacts]
    /// What the plan executed says of each host (upload, pruning), by name.
    var plan: [String: PlannedHost]
    var work: [String: HostWork]
    /// Written into the release when it is complete.
    var marker: ReleaseMarker
    /// The irreversible tasks started on the hosts, recorded on every host when the push finishes.
    var irreversible: IrreversibleWatch
    /// Maintenance mode was turned on (`push --maintenance`): the finish turns it off before unlocking.
    var maintenanceOn = false
    /// How the finish records the run in each host's history: a push, a prepare-only push, or a switch.
    var historyAction = HistoryRecord.Action.push
}
