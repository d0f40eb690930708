import DeployerModel
import DeployerPlanning

/// What `deployer status` and `deployer releases` show: each host's facts,
/// or why the host could not be read.
public struct FleetInspection: Sendable {
    /// In inventory order.
    public var hosts: [String]
    public var facts: [String: HostFacts]
    public var unreachable: [String: String]
    /// The lease this environment's runs take (`lock_ttl:`): how old a lock's heartbeat may be
    /// before `status` calls it stale when the lock does not say its own lease.
    public var lockTTLSeconds: Int

    public init(hosts: [String], facts: [String: HostFacts], unreachable: [String: String], lockTTLSeconds: Int) {
        self.hosts = hosts; self.facts = facts; self.unreachable = unreachable; self.lockTTLSeconds = lockTTLSeconds
    }

    /// Hosts grouped by the release they run, when they do not all run the same one.
    public var drift: [ReleaseID?: [String]]? {
        let reached = hosts.filter { facts[$0] != nil }
        let groups = Dictionary(grouping: reached) { facts[$0]!.current }
        return groups.count > 1 ? groups : nil
    }
}
