import DeployerModel

/// The release a rollback switches to, checked against every host before any switch.
public enum RollbackTarget {
    /// Why no rollback can happen; `message` says what to do instead.
    public struct Refusal: Error, Hashable, Sendable {
        public var message: String
    }

    /// `requested` when given (present, complete and not failed on every host),
    /// else the newest release that is good on every host and older than each host's current one.
    public static func choose(facts: [String: HostFacts], hostOrder: [String],
                              requested: ReleaseID?) -> Result<ReleaseID, Refusal> {
        let ordered = hostOrder.compactMap { host in facts[host].map { (host, $0) } }
        if let requested {
            let missing = ordered.filter { $0.1.release(requested)?.state != .good }
            guard missing.isEmpty else {
                let reasons = missing.map { host, hostFacts -> String in
                    switch hostFacts.release(requested)?.state {
                    case nil: return "\(host) (not present)"
                    case .failed?: return "\(host) (marked failed)"
                    case .incomplete?: return "\(host) (incomplete)"
                    case .good?: return host
                    }
                }
                return .failure(Refusal(message: "release \(requested) cannot be rolled back to: missing or unusable on "
                    + reasons.joined(separator: ", ")))
            }
            return .success(requested)
        }
        guard !ordered.isEmpty, ordered.allSatisfy({ $0.1.current != nil }) else {
            let without = ordered.filter { $0.1.current == nil }.map(\.0)
            return .failure(Refusal(message: "nothing to roll back: no current release on "
                + without.joined(separator: ", ")))
        }
        var common = Set(ordered[0].1.goodReleases)
        for (_, hostFacts) in ordered.dropFirst() { common.formIntersection(hostFacts.goodReleases) }
        let oldestCurrent = ordered.compactMap(\.1.current).min()!
        guard let target = common.filter({ $0 < oldestCurrent }).max() else {
            return .failure(Refusal(message: "no earlier release to roll back to: no good release older than "
                + "\(oldestCurrent) is present on every host (see `deployer releases`)"))
        }
        return .success(target)
    }
}
