import DeployerModel
import DeployerPlanning
import Testing

/// Which irreversible task runs a rollback to a release goes past, from several hosts' journals.
@Suite struct RollbackGuardTests {
    static let id = ReleaseSelectionTests.id

    static func run(_ release: Int, _ task: String, at: String) -> IrreversibleRun {
        IrreversibleRun(release: id(release), task: task, at: at)
    }

    @Test(arguments: [
        // (target, expected (release, task) past it): runs for releases 2 and 4; 3's is only on host2.
        (1, [(4, "migrate"), (3, "purge"), (2, "migrate")]),
        (2, [(4, "migrate"), (3, "purge")]),
        (3, [(4, "migrate")]),
        (4, []),
        (5, []),
    ])
    func aRollbackGoesPastTheRunsOfEveryNewerReleaseAnyHostRecords(_ target: Int, _ expected: [(Int, String)]) {
        let facts = [
            "host1": HostFacts(irreversible: [Self.run(2, "migrate", at: "2026-12-01T10:00:05Z"),
                                              Self.run(4, "migrate", at: "2026-12-01T12:00:09Z")]),
            // The controller's record of the same run, a second later, and one only this host keeps.
            "host2": HostFacts(irreversible: [Self.run(4, "migrate", at: "2026-12-01T12:00:10Z"),
                                              Self.run(3, "purge", at: "2026-12-01T11:00:00Z")]),
            "host3": HostFacts(),
        ]
        let past = RollbackTarget.irreversibleRuns(past: Self.id(target), facts: facts)
        #expect(past.map { "\($0.release) \($0.task)" } == expected.map { "\(Self.id($0.0)) \($0.1)" })
        #expect(past.first { $0.release == Self.id(4) }.map(\.at) == (target < 4 ? "2026-12-01T12:00:09Z" : nil),
                "the earliest time of a run recorded twice")
    }

    @Test func theRefusalNamesTheTaskTheReleaseWhenItRanAndTheWayOn() {
        let refusal = RollbackTarget.irreversibleRefusal([Self.run(2, "migrate", at: "2026-12-01T10:00:05Z")],
                                                         target: Self.id(1), environment: "prod")
        #expect(refusal.message.contains("task 'migrate' ran for release \(Self.id(2)) at 2026-12-01T10:00:05Z"))
        #expect(refusal.message.contains("`deployer rollback prod --to \(Self.id(1)) --past-irreversible`"))
    }
}
