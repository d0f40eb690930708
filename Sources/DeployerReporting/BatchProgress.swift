import DeployerModel

/// The batch of a rolling switch in flight, for the live view's header.
struct BatchProgress: Sendable, Equatable {
    var index: Int
    var count: Int
    var hosts: [String]
    var kind: SwitchKind

    /// `batch 2/3 in flight (web3, web4)`, `switching back batch 1/2 …`.
    var headline: String {
        DeployEvent.batchName(index, count, kind) + " in flight (" + hosts.joined(separator: ", ") + ")"
    }
}
