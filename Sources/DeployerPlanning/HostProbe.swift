import DeployerModel

/// What the planner knows about one host: the read-only probe's facts and
/// guard results, or why the host could not be reached.
public enum HostProbe: Hashable, Sendable {
    case reached(HostFacts, guards: [String: GuardResult])
    case unreachable(String)
}
