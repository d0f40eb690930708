import DeployerModel
import DeployerPlanning
import Testing

/// Table-driven: given these releases on the hosts, expect this decision.
@Suite struct ReleaseSelectionTests {
    static func id(_ n: Int) -> ReleaseID { ReleaseID(unixSeconds: 1_795_923_900 + n * 60, revision: "abc\(n)def") }

    static func facts(current: Int?, good: [Int], failed: [Int] = [], incomplete: [Int] = []) -> HostFacts {
        HostFacts(current: current.map(id),
                  releases: good.map { ReleaseOnHost(id: id($0), state: .good) }
                    + failed.map { ReleaseOnHost(id: id($0), state: .failed) }
                    + incomplete.map { ReleaseOnHost(id: id($0), state: .incomplete) })
    }

    @Test func releaseIDsAreUTCStampsWithTheShortRevision() {
        #expect(ReleaseID(unixSeconds: 1_795_923_900, revision: "3f2a9c1d").rawValue == "20261129T034500Z-3f2a9c1")
        #expect(ReleaseID(unixSeconds: 951_782_400, revision: "abcdefg").rawValue == "20000229T000000Z-abcdefg")
        #expect(ReleaseID.isValid("20261129T034500Z-3f2a9c1"))
        #expect(!ReleaseID.isValid("../../etc"))
        #expect(!ReleaseID.isValid("20261129T034500Z-a b"))
    }

    /// Two pushes in one second: the second release sorts after the first whatever the revisions
    /// (found by the fault matrix: a later push took the older release for the newer one).
    @Test func aReleaseMadeInTheSameSecondAsAnotherMovesOnASecond() {
        let first = ReleaseID(unixSeconds: 1_795_923_900, revision: "ffff000")
        let facts = HostFacts(current: first, releases: [ReleaseOnHost(id: first, state: .good)])
        let second = ReleaseID.unused(unixTime: 1_795_923_900, revision: "0000aaa", facts: [facts])
        #expect(second.rawValue == "20261129T034501Z-0000aaa")
        #expect(second > first)
        #expect(ReleaseID.unused(unixTime: 1_795_923_901, revision: "0000aaa", facts: [facts]) == second)
    }

    @Test(arguments: [
        // (current, good, failed, keep, protected, expected deletions): keep bounds every release
        // directory, failed ones included; current, previous and protected ones are kept beyond it.
        (5, [1, 2, 3, 4, 5], [Int](), 3, [Int](), [1, 2]),
        (5, [1, 2, 3, 4, 5], [6], 2, [Int](), [1, 2, 3, 6]),
        (5, [1, 2, 3, 4, 5], [6], 3, [Int](), [1, 2, 6]),
        (5, [1, 2, 5], [3, 4], 4, [Int](), [3]),
        (3, [1, 2, 3, 4, 5], [Int](), 2, [Int](), [1, 4, 5]),
        (5, [1, 2, 3, 4, 5], [Int](), 2, [1], [2, 3]),
        (5, [1, 2, 5], [3, 4], 1, [Int](), [1, 3, 4]),
    ])
    func pruneKeepsCurrentPreviousProtectedAndTheNewestGood(current: Int, good: [Int], failed: [Int], keep: Int,
                                                             protected: [Int], expected: [Int]) {
        let facts = Self.facts(current: current, good: good, failed: failed)
        let deleted = PrunePlan.releasesToDelete(on: facts, keepReleases: keep, keepFailed: 1,
                                                 protected: Set(protected.map(Self.id)))
        #expect(deleted == expected.map(Self.id))
    }

    @Test func rollbackTargetIsTheNewestGoodReleaseOlderThanCurrentOnEveryHost() throws {
        let facts = ["a": Self.facts(current: 4, good: [1, 2, 4], failed: [3]),
                     "b": Self.facts(current: 4, good: [1, 2, 3, 4])]
        #expect(try RollbackTarget.choose(facts: facts, hostOrder: ["a", "b"], requested: nil).get() == Self.id(2))
        let refused = RollbackTarget.choose(facts: facts, hostOrder: ["a", "b"], requested: Self.id(3))
        guard case let .failure(refusal) = refused else { Issue.record("expected a refusal"); return }
        #expect(refusal.message.contains("a (marked failed)"))
        let first = RollbackTarget.choose(facts: ["a": Self.facts(current: 1, good: [1])], hostOrder: ["a"], requested: nil)
        guard case let .failure(none) = first else { Issue.record("expected a refusal"); return }
        #expect(none.message.contains("no earlier release"))
    }

    /// A host on `current` whose releases each recorded the one current before them (`followed`).
    static func ran(_ current: Int, followed: [Int: Int], rolledBackFrom: Set<Int> = []) -> HostFacts {
        let ids = Set(followed.keys).union(followed.values).union([current])
        return HostFacts(current: id(current), releases: ids.map { n in
            ReleaseOnHost(id: id(n), state: .good, previous: followed[n].map(id), rolledBackFrom: rolledBackFrom.contains(n))
        })
    }

    /// The target follows what ran; hosts already where the others go stay; hosts that disagree are refused.
    @Test func rollbackTargetFollowsWhatRanAndLeavesHostsAlreadyThereAlone() throws {
        func choose(_ facts: [String: HostFacts]) -> Result<ReleaseID, RollbackTarget.Refusal> {
            RollbackTarget.choose(facts: facts, hostOrder: facts.keys.sorted(), requested: nil)
        }
        // A halted push: a and b went from 3 to 4, c never left 3.
        let halted = ["a": Self.ran(4, followed: [4: 3, 3: 2]), "b": Self.ran(4, followed: [4: 3, 3: 2]),
                      "c": Self.ran(3, followed: [4: 3, 3: 2])]
        #expect(try choose(halted).get() == Self.id(3))
        // A halted rollback from 4 to 3: a is back on 3 (4 marked), c still on 4; the rollback completes.
        let splitRollback = ["a": Self.ran(3, followed: [3: 4, 4: 3, 2: 1], rolledBackFrom: [4]),
                             "c": Self.ran(4, followed: [4: 3, 3: 2, 2: 1])]
        #expect(try choose(splitRollback).get() == Self.id(3))
        #expect(splitRollback["a"]!.previous == Self.id(2))
        // Two hosts that came to 4 from different releases: say where with --to.
        let disagree = ["a": Self.ran(4, followed: [4: 2]), "b": Self.ran(4, followed: [4: 3])]
        guard case let .failure(refusal) = choose(disagree) else { Issue.record("expected a refusal"); return }
        #expect(refusal.message.contains("a \(Self.id(4)) (from \(Self.id(2)))") && refusal.message.contains("--to"),
                "\(refusal.message)")
    }

    /// Issue 15 item 4: push A (2, from B = 1), roll back to B, push A again (3, from B): a plain rollback goes to
    /// B, which ran before, not to 2, the newest older release, which has A's code and a rollback left.
    @Test func rollbackAfterPushingARolledBackRevisionAgainGoesToWhatRanBefore() throws {
        let facts = ["a": Self.ran(3, followed: [2: 1, 1: 2, 3: 1], rolledBackFrom: [2]),
                     "b": Self.ran(3, followed: [2: 1, 1: 2, 3: 1], rolledBackFrom: [2])]
        #expect(try RollbackTarget.choose(facts: facts, hostOrder: ["a", "b"], requested: nil).get() == Self.id(1))
        #expect(try RollbackTarget.choose(facts: facts, hostOrder: ["a", "b"], requested: Self.id(2)).get() == Self.id(2),
                "--to can still name any complete release")
    }

    @Test func aPushIsANoOpOnlyWhenEveryHostRunsTheSameRevisionAndRecipe() {
        let marker = ReleaseMarker(release: Self.id(1), revision: "rev", digest: "d", fingerprint: "fp",
                                   releaseFingerprint: "hostless", createdAt: "", createdBy: "")
        let same = HostFacts(current: Self.id(1), releases: [ReleaseOnHost(id: Self.id(1), state: .good, marker: marker)],
                             finished: Self.id(1))
        #expect(PushDecision.decide(facts: [same, same], revision: "rev", fingerprint: "fp", force: false)
                == .alreadyCurrent(Self.id(1)))
        #expect(PushDecision.decide(facts: [same, same], revision: "rev", fingerprint: "fp", force: true) == .newRelease)
        #expect(PushDecision.decide(facts: [same, same], revision: "rev", fingerprint: "fp2", force: false) == .newRelease)
        #expect(PushDecision.decide(facts: [same, HostFacts()], revision: "rev", fingerprint: "fp", force: false)
                == .join(release: Self.id(1), digest: "d"))
        #expect(PushDecision.decide(facts: [HostFacts()], peers: [same], revision: "rev", fingerprint: "fp", force: false)
                == .join(release: Self.id(1), digest: "d"), "a host outside the limit runs it")
        // The same recipe with one more host: a fingerprint of its own, the same release fingerprint.
        #expect(PushDecision.decide(facts: [same, same], revision: "rev", fingerprint: "fp+host",
                                    releaseFingerprint: "hostless", force: false) == .alreadyCurrent(Self.id(1)))
        #expect(PushDecision.decide(facts: [same, HostFacts()], revision: "rev", fingerprint: "fp+host",
                                    releaseFingerprint: "hostless", force: false) == .join(release: Self.id(1), digest: "d"))
        #expect(PushDecision.decide(facts: [same, HostFacts()], revision: "rev2", fingerprint: "fp", force: false)
                == .newRelease)
        var locked = same
        locked.lock = LockState(lease: nil, heartbeatAgeSeconds: 1)
        #expect(PushDecision.decide(facts: [same, locked], revision: "rev", fingerprint: "fp", force: false) == .newRelease)
    }

    /// A host switched to the release by a run whose after_switch task or health check failed there, or
    /// that died before its finish step, runs it unfinished: a push of the same revision is no no-op, it
    /// joins that release, working on the unfinished hosts only.
    @Test func aHostRunningTheReleaseUnfinishedIsNotDone() {
        let marker = ReleaseMarker(release: Self.id(1), revision: "rev", digest: "d", fingerprint: "fp",
                                   releaseFingerprint: "hostless", createdAt: "", createdBy: "")
        let release = ReleaseOnHost(id: Self.id(1), state: .good, marker: marker)
        let finished = HostFacts(current: Self.id(1), releases: [release], finished: Self.id(1))
        let unfinished = HostFacts(current: Self.id(1), releases: [release])
        // Finished on a release before: switched since, by a run that did not finish.
        let finishedBefore = HostFacts(current: Self.id(1), releases: [release], finished: Self.id(0))
        for host in [unfinished, finishedBefore] {
            #expect(!host.runsFinished(Self.id(1)))
            #expect(PushDecision.needsRelease(host, Self.id(1)))
            #expect(PushDecision.decide(facts: [finished, host], revision: "rev", fingerprint: "fp", force: false)
                    == .join(release: Self.id(1), digest: "d"))
            #expect(PushDecision.decide(facts: [host, host], revision: "rev", fingerprint: "fp", force: false)
                    == .join(release: Self.id(1), digest: "d"), "no host finished it: every host is redone, nothing rebuilt")
        }
        #expect(!PushDecision.needsRelease(finished, Self.id(1)))
        #expect(PushDecision.needsRelease(nil, Self.id(1)))
    }
}
