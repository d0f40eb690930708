import DeployerModel

extension RollingPolicy {
    /// How many hosts may fail before a rolling switch stops (`max_failures`):
    /// a count as written, or a percentage of `hostCount` rounded down, so
    /// `10%` of 5 hosts tolerates none.
    public func failureBudget(hostCount: Int) -> Int {
        switch maxFailures {
        case let .count(n): return max(0, n)
        case let .percent(p): return max(0, hostCount * p / 100)
        }
    }
}
