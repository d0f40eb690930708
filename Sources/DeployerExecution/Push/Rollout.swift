import DeployerModel

/// A rolling switch of the fleet to one release, rendered before it starts:
/// each host's script forward and back, and what each host ran before.
struct Rollout: Sendable {
    var release: ReleaseID
    /// `push` or `rollback`.
    var kind: SwitchKind
    var runID: String
    /// The hosts it switches, in the environment's order (a rollback leaves the hosts already on its target alone).
    var hosts: [String]
    /// Each host's script to `release`.
    var forward: [String: RolloutScript]
    /// Each host's script back to what it ran before: that release (after_switch and after_rollback tasks),
    /// or no release at all after a first deploy (`RolloutScript.release` nil).
    var back: [String: RolloutScript]
    /// What each host ran before this run.
    var previous: [String: ReleaseID?]
    /// What a batch that exhausts the failure budget leads to.
    var onFailure: RollingPolicy.OnFailure
}
