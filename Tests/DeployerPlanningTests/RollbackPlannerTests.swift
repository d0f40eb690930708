import DeployerModel
import DeployerPlanning
import Testing

/// A rollback decided from host facts: the target per host, and the irreversible guard shown before it refuses.
@Suite struct RollbackPlannerTests {
    static let id = ReleaseSelectionTests.id
    static let hosts = ["web1", "web2", "web3"]

    /// web1 and web2 run release 3 (which followed 2); web3 still runs 2 (a halted push never reached it).
    static func facts(irreversible: [IrreversibleRun] = []) -> [String: HostFacts] {
        let releases = [ReleaseOnHost(id: id(1), state: .good), ReleaseOnHost(id: id(2), state: .good, previous: id(1)),
                        ReleaseOnHost(id: id(3), state: .good, previous: id(2))]
        return ["web1": HostFacts(current: id(3), releases: releases, irreversible: irreversible),
                "web2": HostFacts(current: id(3), releases: releases), "web3": HostFacts(current: id(2), releases: releases)]
    }

    @Test func theHostsThatMoveGoWhereTheyWereAndTheOthersStay() {
        let plan = RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: Self.facts(),
                                        requested: nil, pastIrreversible: false)
        #expect(plan.decision == .rollBack && plan.targetRelease == Self.id(2))
        #expect(plan.switchingHosts == ["web1", "web2"])
        #expect(plan.renderText().contains("web1: runs \(Self.id(3)) -> \(Self.id(2))\n"), "\(plan.renderText())")
        #expect(plan.renderText().contains("web3: runs \(Self.id(2)), already there\n"), "\(plan.renderText())")
    }

    @Test(arguments: [false, true])
    func aRollbackPastIrreversibleWorkSaysItWouldBeRefusedWithoutTheFlag(pastIrreversible: Bool) {
        let migration = IrreversibleRun(release: Self.id(2), task: "migrate", at: "2026-12-01T10:00:05Z")
        let plan = RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: Self.facts(irreversible: [migration]),
                                        requested: Self.id(1), pastIrreversible: pastIrreversible)
        #expect(plan.decision == (pastIrreversible ? .rollBack : .pastIrreversible))
        #expect(plan.targetRelease == Self.id(1) && plan.irreversible == [migration])
        #expect(plan.switchingHosts == Self.hosts, "every host would go to the target")
        let text = plan.renderText()
        #expect(text.contains("task 'migrate' ran for release \(Self.id(2)) at 2026-12-01T10:00:05Z"), "\(text)")
        #expect(text.contains("would be refused (exit 2)") == !pastIrreversible, "\(text)")
        #expect(text.contains("--past-irreversible"), "\(text)")
    }

    @Test func aTargetMissingOnAHostIsRefusedAndAnUnprobedHostLeavesItUnknown() {
        var facts = Self.facts()
        facts["web3"] = HostFacts(current: Self.id(2), releases: [ReleaseOnHost(id: Self.id(2), state: .good)])
        let refused = RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: facts,
                                           requested: Self.id(1), pastIrreversible: false)
        #expect(refused.decision == .refused && refused.target == nil && refused.switchingHosts.isEmpty)
        #expect(refused.refusal?.contains("web3 (not present)") == true, "\(refused.refusal ?? "")")
        facts["web3"] = nil
        let unknown = RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: facts,
                                           unreachable: ["web3": "connection refused"], requested: nil, pastIrreversible: false)
        #expect(unknown.decision == .unknown && unknown.hosts[2].unreachable == "connection refused")
    }

    @Test func aFleetAlreadyThereChangesNothing() {
        let plan = RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: Self.facts(),
                                        requested: Self.id(3), pastIrreversible: false)
        // web3 runs 2: it would switch to 3; the fleet as a whole is not already there.
        #expect(plan.decision == .rollBack && plan.switchingHosts == ["web3"])
        var there = Self.facts()
        there["web3"]?.current = Self.id(3)
        #expect(RollbackPlanner.plan(environment: "prod", hostOrder: Self.hosts, facts: there, requested: Self.id(3),
                                     pastIrreversible: false).decision == .alreadyCurrent)
    }
}
