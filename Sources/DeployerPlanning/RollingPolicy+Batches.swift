import DeployerModel

extension RollingPolicy {
    /// The hosts switched together, in order: a first batch of `canary` hosts
    /// when set, then batches of `batch` hosts (all hosts at once without one).
    public func batches(of hosts: [String]) -> [[String]] {
        guard !hosts.isEmpty else { return [] }
        var rest = hosts[...]
        var batches: [[String]] = []
        if let canary, canary > 0 {
            batches.append(Array(rest.prefix(canary)))
            rest = rest.dropFirst(canary)
        }
        let size = batch?.hosts(of: hosts.count) ?? hosts.count
        while !rest.isEmpty {
            batches.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return batches
    }
}
