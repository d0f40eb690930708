import DeployerModel

/// Decides a rollback, without I/O, from each host's facts: the target (`RollbackTarget.choose`), the hosts
/// that switch to it (those not on it already), and the irreversible guard. A rollback asks it with the facts
/// read under its lock and executes the plan it returns; `deployer plan --rollback` asks it with a read-only
/// probe's facts and prints the same value.
public enum RollbackPlanner {
    /// The rollback of `environment` (hosts in `hostOrder`; `unreachable` those that could not be probed)
    /// to `requested`, or to where the fleet was before its last change.
    public static func plan(environment: String, hostOrder: [String], facts: [String: HostFacts],
                            unreachable: [String: String] = [:], requested: ReleaseID?,
                            pastIrreversible: Bool) -> RollbackPlan {
        func plan(_ decision: RollbackPlan.Decision, target: ReleaseID? = nil, refusal: String? = nil,
                  irreversible: [IrreversibleRun] = []) -> RollbackPlan {
            RollbackPlan(environment: environment, requested: requested?.rawValue, decision: decision, target: target?.rawValue,
                         refusal: refusal, irreversible: irreversible, pastIrreversible: pastIrreversible,
                         hosts: hostOrder.map { host in
                             RollbackPlan.Host(name: host, current: facts[host]?.current?.rawValue,
                                               switches: target != nil && facts[host]?.current != target,
                                               unreachable: unreachable[host])
                         })
        }
        let unprobed = hostOrder.filter { facts[$0] == nil }
        guard unprobed.isEmpty else {
            return plan(.unknown, refusal: "unreachable: " + unprobed.joined(separator: ", "))
        }
        let target: ReleaseID
        switch RollbackTarget.choose(facts: facts, hostOrder: hostOrder, requested: requested) {
        case let .success(chosen): target = chosen
        case let .failure(refusal): return plan(.refused, refusal: refusal.message)
        }
        let past = RollbackTarget.irreversibleRuns(past: target, facts: facts)
        if hostOrder.allSatisfy({ facts[$0]?.current == target }) {
            return plan(.alreadyCurrent, target: target, irreversible: past)
        }
        if !past.isEmpty, !pastIrreversible {
            return plan(.pastIrreversible, target: target,
                        refusal: RollbackTarget.irreversibleRefusal(past, target: target, environment: environment).message,
                        irreversible: past)
        }
        return plan(.rollBack, target: target, irreversible: past)
    }
}
