import DeployerModel

/// The release a rollback switches to, checked against every host before any switch.
public enum RollbackTarget {
    /// Why no rollback can happen; `message` says what to do instead.
    public struct Refusal: Error, Hashable, Sendable {
        public var message: String
    }

    /// `requested` when given (present, complete and not failed on every host); else where the
    /// fleet was before its last change: each host's `HostFacts.previous` (the release current
    /// before its current one, skipping releases a rollback left), leaving out the hosts whose
    /// current release is where another host would go — they are already there, as the hosts a
    /// halted push never reached. Hosts that disagree go to the newest of their targets that is good on
    /// every host; with none, the rollback is refused.
    public static func choose(facts: [String: HostFacts], hostOrder: [String],
                              requested: ReleaseID?) -> Result<ReleaseID, Refusal> {
        let ordered = hostOrder.compactMap { host in facts[host].map { (host, $0) } }
        if let requested { return check(requested, on: ordered) }
        guard !ordered.isEmpty, ordered.allSatisfy({ $0.1.current != nil }) else {
            let without = ordered.filter { $0.1.current == nil }.map(\.0)
            return .failure(Refusal(message: "nothing to roll back: no current release on "
                + without.joined(separator: ", ")))
        }
        let destinations = Set(ordered.compactMap(\.1.previous))
        let moving = ordered.filter { !destinations.contains($0.1.current!) }
        if let stuck = moving.first(where: { $0.1.previous == nil }) {
            return .failure(Refusal(message: "no earlier release to roll back to on \(stuck.0): no good release was "
                + "current there before \(stuck.1.current!) (see `deployer releases`; `--to` names one)"))
        }
        // Hosts that disagree (releases switched to before deployer recorded what they followed) go to the
        // newest of their targets that every host can run.
        let targets = Set(moving.compactMap(\.1.previous)).sorted(by: >)
        guard let target = targets.first(where: { target in ordered.allSatisfy { $0.1.release(target)?.state == .good } })
        else {
            let each = (moving.isEmpty ? ordered : moving).map { host, hostFacts in
                "\(host) \(hostFacts.current!) (from \(hostFacts.previous?.rawValue ?? "none"))"
            }
            return .failure(Refusal(message: "the hosts came to their releases from different ones: "
                + each.joined(separator: ", ") + "; say where to go with `--to` (see `deployer releases`)"))
        }
        return check(target, on: ordered)
    }

    /// `target` when it is present, complete and not failed on every host.
    private static func check(_ target: ReleaseID, on ordered: [(String, HostFacts)]) -> Result<ReleaseID, Refusal> {
        let missing = ordered.filter { $0.1.release(target)?.state != .good }
        guard missing.isEmpty else {
            let reasons = missing.map { host, hostFacts -> String in
                switch hostFacts.release(target)?.state {
                case nil: return "\(host) (not present)"
                case .failed?: return "\(host) (marked failed)"
                case .incomplete?: return "\(host) (incomplete)"
                case .good?: return host
                }
            }
            return .failure(Refusal(message: "release \(target) cannot be rolled back to: missing or unusable on "
                + reasons.joined(separator: ", ")))
        }
        return .success(target)
    }
}
