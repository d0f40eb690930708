import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// Table-driven: given these host facts, expect these steps.
@Suite struct PlannerTests {
    static let revision = "3f2a9c1d00000000000000000000000000000000"
    static let fingerprint = "fp1"
    static let digest = "d1g35t"
    static let venv = EnvKey(name: "venv", hash: "abc123")
    static let now = 1_795_923_900
    static func id(_ n: Int) -> ReleaseID { ReleaseID(unixSeconds: now - 3600 + n * 60, revision: "abc\(n)def") }

    static func host(_ name: String, _ roles: [String]) -> FleetHost {
        FleetHost(address: HostAddress(parsing: name)!, roles: roles)
    }

    static let environment = ResolvedEnvironment(
        app: "demo", name: "staging", deployTo: "/srv/app", keepReleases: 2, source: .git(path: ".", revision: nil),
        hosts: [host("web1", ["web", "db"]), host("web2", ["web"]), host("web3", ["web"])],
        dependencyEnvs: [DependencyEnv(name: "venv", keyFiles: ["requirements.txt"], build: Template(literal: "make"))],
        tasks: [
            ResolvedTask(name: "assets", phase: .prepare, run: Template(literal: "build")),
            ResolvedTask(name: "seed", phase: .prepare, run: Template(literal: "seed"),
                         creates: Template(literal: "/srv/app/shared/seeded")),
            ResolvedTask(name: "migrate", phase: .beforeSwitch, roles: ["db"], once: true, run: Template(literal: "m")),
            ResolvedTask(name: "restart", phase: .afterSwitch, roles: ["web"], run: Template(literal: "r")),
        ],
        rolling: RollingPolicy(batch: .count(2)), fingerprint: fingerprint)

    static func planner(force: Bool = false) -> Planner {
        Planner(environment: environment, revision: revision, digest: digest, envKeys: ["venv": venv], unixTime: now,
                force: force)
    }

    /// `marker`: the current release is complete, and finished here unless `unfinished` (its run failed or died after the switch).
    static func facts(current: Int?, releases: [Int] = [], marker: Bool = false, unfinished: Bool = false, artifact: Bool = false,
                      env: Bool = false, lock: Bool = false, revision: String = PlannerTests.revision) -> HostFacts {
        let all = Set(releases + (current.map { [$0] } ?? []))
        return HostFacts(
            current: current.map(id),
            releases: all.sorted().map { n in
                ReleaseOnHost(id: id(n), state: .good, marker: marker && n == current
                    ? ReleaseMarker(release: id(n), revision: revision, digest: digest, fingerprint: fingerprint,
                                    createdAt: "t", createdBy: "me") : nil)
            },
            lock: lock ? LockState(lease: LockLease(origin: RunOrigin(who: "ann@ci", command: "deployer push", runID: "r1"),
                                                    since: "2026-11-29T06:00:00Z", ttlSeconds: 300),
                                   heartbeatAgeSeconds: 5) : nil,
            artifacts: artifact ? [digest] : [], envs: env ? [venv.directoryName] : [],
            finished: marker && !unfinished ? current.map(id) : nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var probes: [String: HostProbe]?
        var decision: Plan.Decision
        /// Steps run per host, as `PHASE/NAME`.
        var run: [String: [String]]
        var changing: [String]
        var blockers: Int = 0
        var batches = [["web1", "web2"], ["web3"]]
        var testDescription: String { name }
    }

    static let everything = ["upload", "prepare/env:venv", "prepare/assets", "prepare/seed"]
    static let guardClear: [String: GuardResult] = ["prepare/seed": .clear]

    static let cases: [Case] = [
        Case(name: "fresh hosts: every step runs; migrate once on the first db host",
             probes: ["web1": .reached(facts(current: nil), guards: guardClear),
                      "web2": .reached(facts(current: nil), guards: guardClear),
                      "web3": .reached(facts(current: nil), guards: guardClear)],
             decision: .newRelease,
             run: ["web1": everything + ["before_switch/migrate", "after_switch/restart"],
                   "web2": everything + ["after_switch/restart"], "web3": everything + ["after_switch/restart"]],
             changing: ["web1", "web2", "web3"]),
        Case(name: "everything current: nothing runs anywhere",
             probes: ["web1": .reached(facts(current: 1, marker: true), guards: guardClear),
                      "web2": .reached(facts(current: 1, marker: true), guards: guardClear),
                      "web3": .reached(facts(current: 1, marker: true), guards: guardClear)],
             decision: .alreadyCurrent, run: ["web1": [], "web2": [], "web3": []], changing: []),
        Case(name: "one host behind: it joins the release the others run; they change nothing",
             probes: ["web1": .reached(facts(current: 1, marker: true, artifact: true, env: true), guards: guardClear),
                      "web2": .reached(facts(current: 1, marker: true, artifact: true, env: true), guards: guardClear),
                      "web3": .reached(facts(current: nil), guards: guardClear)],
             decision: .join,
             run: ["web1": [], "web2": [], "web3": everything + ["after_switch/restart"]],
             changing: ["web3"], batches: [["web3"]]),
        Case(name: "a limited push made one host current: the others join its release, migrate stays done",
             probes: ["web1": .reached(facts(current: 1, marker: true, artifact: true, env: true), guards: guardClear),
                      "web2": .reached(facts(current: 0, marker: true, revision: "0ld"), guards: guardClear),
                      "web3": .reached(facts(current: nil), guards: guardClear)],
             decision: .join,
             run: ["web1": [], "web2": everything + ["after_switch/restart"], "web3": everything + ["after_switch/restart"]],
             changing: ["web2", "web3"], batches: [["web2", "web3"]]),
        Case(name: "host2's health check failed after host1 switched: host2 is redone, its release kept; host1 changes nothing",
             probes: ["web1": .reached(facts(current: 1, marker: true, artifact: true, env: true), guards: guardClear),
                      "web2": .reached(facts(current: 1, marker: true, unfinished: true, artifact: true, env: true),
                                       guards: guardClear),
                      "web3": .reached(facts(current: 0, releases: [1], marker: true, revision: "0ld"), guards: guardClear)],
             decision: .join,
             run: ["web1": [], "web2": ["after_switch/restart"], "web3": everything + ["after_switch/restart"]],
             changing: ["web2", "web3"], batches: [["web2", "web3"]]),
        Case(name: "env cache hit and guard holding: env reused, seed skipped",
             probes: ["web1": .reached(facts(current: 1, env: true), guards: ["prepare/seed": .skip("creates: exists")]),
                      "web2": .reached(facts(current: 1, env: true), guards: ["prepare/seed": .skip("creates: exists")]),
                      "web3": .reached(facts(current: 1, env: true), guards: ["prepare/seed": .unknown("relative")])],
             decision: .newRelease,
             run: ["web1": ["upload", "prepare/assets", "before_switch/migrate", "after_switch/restart"],
                   "web2": ["upload", "prepare/assets", "after_switch/restart"],
                   "web3": ["upload", "prepare/assets", "after_switch/restart"]],
             changing: ["web1", "web2", "web3"]),
        Case(name: "lock held: a blocker naming the host and holder",
             probes: ["web1": .reached(facts(current: 1, marker: true), guards: guardClear),
                      "web2": .reached(facts(current: 1, marker: true, lock: true), guards: guardClear),
                      "web3": .reached(facts(current: 1, marker: true), guards: guardClear)],
             decision: .newRelease,
             run: ["web1": everything + ["before_switch/migrate", "after_switch/restart"],
                   "web2": everything + ["after_switch/restart"], "web3": everything + ["after_switch/restart"]],
             changing: ["web1", "web2", "web3"], blockers: 1),
        Case(name: "unreachable host: unknown decision, the others still planned",
             probes: ["web1": .reached(facts(current: nil), guards: guardClear),
                      "web2": .unreachable("connection refused"),
                      "web3": .reached(facts(current: nil), guards: guardClear)],
             decision: .unknown,
             run: ["web1": everything + ["before_switch/migrate", "after_switch/restart"],
                   "web2": ["prepare/assets", "after_switch/restart"],
                   "web3": everything + ["after_switch/restart"]],
             changing: [], blockers: 1),
        Case(name: "offline: every host-dependent decision unknown; unguarded tasks run",
             probes: nil, decision: .unknown,
             run: ["web1": ["prepare/assets", "before_switch/migrate", "after_switch/restart"],
                   "web2": ["prepare/assets", "after_switch/restart"], "web3": ["prepare/assets", "after_switch/restart"]],
             changing: []),
    ]

    @Test(arguments: cases)
    func stepsFollowTheFacts(_ testCase: Case) {
        let plan = Self.planner().plan(probes: testCase.probes)
        #expect(plan.decision == testCase.decision)
        for host in plan.hosts { #expect(host.stepsToRun == testCase.run[host.name], "\(host.name)") }
        #expect(plan.changingHosts == testCase.changing)
        #expect(plan.blockers.count == testCase.blockers, "\(plan.blockers)")
        #expect(plan.batches == testCase.batches)
        #expect(plan.offline == (testCase.probes == nil))
    }

    @Test func offlineMarksHostDecisionsUnknownAndRecordsNoFacts() {
        let plan = Self.planner().plan(probes: nil)
        for host in plan.hosts {
            #expect(host.change == .unknown)
            #expect(host.facts == nil && host.prune == nil)
            #expect(host.steps.first { $0.name == "upload" }?.action == .unknown)
            #expect(host.steps.first { $0.name == "seed" }?.action == .unknown)
        }
        #expect(plan.release == ReleaseID(unixSeconds: Self.now, revision: Self.revision).rawValue)
        #expect(plan.rollout.perHost == ["switch", "after_switch"])
        #expect(plan.rollout.text == "each host: switch, after_switch; max 0 failed hosts, then rollback")
    }

    @Test func pruneAndReleaseIdFollowTheExecutorsRules() {
        let taken = ReleaseID(unixSeconds: Self.now, revision: Self.revision)
        var hostFacts = Self.facts(current: 3, releases: [1, 2, 3], marker: true)
        hostFacts.releases.append(ReleaseOnHost(id: taken, state: .failed))
        let probes = Dictionary(uniqueKeysWithValues: ["web1", "web2", "web3"].map {
            ($0, HostProbe.reached(hostFacts, guards: Self.guardClear))
        })
        let plan = Self.planner(force: true).plan(probes: probes)
        #expect(plan.release == ReleaseID(unixSeconds: Self.now + 1, revision: Self.revision).rawValue)
        #expect(plan.hosts[0].prune == [Self.id(1), Self.id(2), taken].map(\.rawValue), "the failed one counts toward keep_releases")
    }

    @Test func savedPlanDriftNamesHostAndFact() {
        let before = Self.planner().plan(probes: ["web1": .reached(Self.facts(current: 1), guards: Self.guardClear),
                                                  "web2": .reached(Self.facts(current: 1), guards: Self.guardClear),
                                                  "web3": .reached(Self.facts(current: 1), guards: Self.guardClear)])
        #expect(before.drift(to: before).isEmpty)
        let after = Self.planner().plan(probes: ["web1": .reached(Self.facts(current: 1), guards: Self.guardClear),
                                                 "web2": .reached(Self.facts(current: 2, releases: [1]), guards: Self.guardClear),
                                                 "web3": .reached(Self.facts(current: 1, env: true),
                                                                  guards: ["prepare/seed": .skip("exists")])])
        let drift = before.drift(to: after)
        #expect(drift.contains { $0.hasPrefix("web2: current release: planned \(Self.id(1)), now \(Self.id(2))") }, "\(drift)")
        #expect(drift.contains { $0.hasPrefix("web3: env venv-abc123: planned absent, now present") }, "\(drift)")
        #expect(drift.contains { $0.hasPrefix("web3: guard of prepare/seed") }, "\(drift)")
        #expect(!drift.contains { $0.hasPrefix("web1") })
    }

    @Test func theJSONRoundTripsAndKeepsTaskNamesAsWritten() throws {
        let plan = Self.planner().plan(probes: ["web1": .reached(Self.facts(current: 1), guards: ["prepare/seed_db": .clear]),
                                                "web2": .unreachable("refused"),
                                                "web3": .reached(Self.facts(current: 1), guards: [:])])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(plan)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"prepare/seed_db\"") && text.contains("\"unix_time\"") && text.contains("\"has_artifact\""))
        #expect(text.contains("\"schema\":1"))
        #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
    }
}

extension PlannerTests {
    @Test func aLimitedPlanSaysHowMuchOfTheFleetAndJoinsWhatHostsOutsideItRun() {
        var planner = Self.planner()
        planner.environment.hosts = [Self.host("web3", ["web"])]
        planner.fleetHosts = 3
        planner.peers = [Self.facts(current: 1, marker: true)]
        let plan = planner.plan(probes: ["web3": .reached(Self.facts(current: nil), guards: Self.guardClear)])
        #expect(plan.decision == .join)
        #expect(plan.release == Self.id(1).rawValue)
        let text = plan.renderText()
        #expect(text.contains("a push would give it to web3 and leave the others alone (1 of 3 hosts"), "\(text)")
        #expect(text.contains("1 of 3 hosts would change"), "\(text)")
        planner.peers = []
        #expect(planner.plan(probes: ["web3": .reached(Self.facts(current: nil), guards: Self.guardClear)]).decision
                == .newRelease)
    }
}
