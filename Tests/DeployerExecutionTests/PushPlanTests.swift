import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// The plan is the program: what a push executes is the `Plan` the planner makes from the facts read
/// under the lock, the same value `deployer plan` prints from a read-only probe of the same facts.
@Suite struct PushPlanTests {
    let hosts = ["web1", "web2", "web3"]
    static let revision = "dir-" + String(repeating: "c", count: 12)
    static let digest = String(repeating: "d", count: 64)
    static let unixTime = 1_795_923_900

    static func release(_ seconds: Int, digest: String = String(repeating: "a", count: 64),
                        revision: String = "dir-" + String(repeating: "a", count: 12), state: ReleaseOnHost.State = .good)
        -> ReleaseOnHost {
        let id = ReleaseID(unixSeconds: seconds, revision: revision)
        return ReleaseOnHost(id: id, state: state,
                             marker: state == .incomplete ? nil
                                 : ReleaseMarker(release: id, revision: revision, digest: digest, fingerprint: "fp1",
                                                 createdAt: "2026-11-01T00:00:00Z", createdBy: "ops@laptop"))
    }

    /// A lock this run holds, as the lock script reports it under the lock.
    static func ownLock() -> LockState {
        LockState(lease: LockLease(origin: RunOrigin(who: "tester@ci", command: "deployer push staging", runID: "run-1"),
                                   since: "2026-12-01T00:00:00Z", ttlSeconds: 300), heartbeatAgeSeconds: 0)
    }

    func executor(_ environment: ResolvedEnvironment) throws -> Executor {
        Executor(environment: environment, connector: try LocalFleet(), reporter: RecordingReporter())
    }

    func artifact() -> Artifact {
        Artifact(path: "/nonexistent/artifact.tar.gz", digest: Self.digest, bytes: 1024, revision: Self.revision,
                 envKeys: [:], revisionTime: nil)
    }

    /// Table: given these host facts, the plan a push executes under its lock equals the plan
    /// `deployer plan` prints (new release with pruning and a host lacking the artifact; a join).
    @Test(arguments: ["new release", "join"])
    func thePlanAPushExecutesIsThePlanPrintedForTheSameFacts(_ scenario: String) throws {
        let app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: "/srv/demo", tasks: [
            try Fixture.task("migrate", .beforeSwitch, "echo migrate", once: true),
            try Fixture.task("restart", .afterSwitch, "echo restart"),
        ], keep: 2)
        let old = [Self.release(1_795_000_000), Self.release(1_795_100_000), Self.release(1_795_200_000, state: .failed)]
        var facts: [String: HostFacts] = [:]
        for (index, host) in hosts.enumerated() {
            facts[host] = HostFacts(current: old[1].id, releases: old, artifacts: index == 1 ? [] : [Self.digest])
        }
        if scenario == "join" {
            let joined = Self.release(1_795_300_000, digest: Self.digest, revision: Self.revision)
            facts["web2"] = HostFacts(current: joined.id, releases: old + [joined], artifacts: [Self.digest])
        }
        let executor = try executor(environment)
        let planner = executor.planner(for: artifact(), unixTime: Self.unixTime, peers: [])
        let printed = planner.plan(probes: facts.mapValues { .reached($0, guards: [:]) })
        let underLock = facts.mapValues { hostFacts in
            var locked = hostFacts
            locked.lock = Self.ownLock()
            return locked
        }
        let executed = Executor.pushPlan(planner, probed: facts, locked: underLock)
        #expect(executed == printed)
        #expect(executed.decision == (scenario == "join" ? .join : .newRelease))
        #expect(executed.hosts.first { $0.name == "web2" }?.receivesArtifact == (scenario == "new release"))
        if scenario == "new release" {
            #expect(executed.hosts.map(\.releasesToPrune) == Array(repeating: [old[0].id, old[2].id], count: 3))
        }
    }

    /// `deployer push` runs the plan `deployer plan` printed: its release id, its upload and its pruning.
    @Test func aPushMakesThePlannedReleaseAndPrunesWhatThePlanSaid() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo, keep: 2)
        for (version, time) in [(1, 1_795_000_000), (2, 1_795_100_000)] {
            try app.write("app.txt", "version \(version)\n")
            let pushed = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter())
                .push(app.request(environment, time: time))
            #expect(pushed.result == .succeeded, "\(pushed.message)")
        }
        try app.write("app.txt", "version 3\n")
        let (plan, request) = try await saved(app, environment, fleet: fleet, time: 1_795_200_000)
        #expect(plan.decision == .newRelease)
        #expect(plan.hosts.allSatisfy { $0.releasesToPrune.count == 1 && $0.receivesArtifact })
        let pushed = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter()).push(request)
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        #expect(pushed.release?.rawValue == plan.release)
        for host in plan.hosts {
            #expect(fleet.currentRelease(host.name) == plan.release)
            #expect(!fleet.releases(host.name).contains { host.prune?.contains($0) == true })
            #expect(fleet.releases(host.name).count == 2)
        }
    }

    /// A saved plan whose decisions no longer hold under the lock (another push came first) is not
    /// executed: exit 5 naming what differs, and no host changes.
    @Test func aSavedPlanThatNoLongerHoldsUnderTheLockIsRefused() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let (_, request) = try await saved(app, environment, fleet: fleet, time: 1_795_200_000)
        let other = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter())
            .push(app.request(environment, time: 1_795_100_000))
        #expect(other.result == .succeeded, "\(other.message)")
        let before = hosts.map { fleet.releases($0) }
        let pushed = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter()).push(request)
        #expect(pushed.result == .planStale, "\(pushed.message)")
        #expect(pushed.message.contains("decision: planned new_release, now already_current"), "\(pushed.message)")
        #expect(hosts.map { fleet.releases($0) } == before)
        #expect(hosts.allSatisfy { !fleet.exists($0, ".deployer/lock") })
    }

    /// The plan `deployer plan` makes now (read-only probe, the executor's planner) and a push request
    /// that carries it as a saved plan, for the same release time.
    func saved(_ app: Fixture, _ environment: ResolvedEnvironment, fleet: LocalFleet, time: Int) async throws
        -> (Plan, PushRequest) {
        let executor = Executor(environment: environment, connector: fleet, reporter: RecordingReporter())
        let artifact = try await ArtifactBuilder(cacheDirectory: app.cache)
            .build(source: environment.source, commit: nil, envs: environment.dependencyEnvs)
        let probes = try await executor.probeForPlan(release: ReleaseID(unixSeconds: time, revision: artifact.revision),
                                                     revision: artifact.revision, runGuards: false)
        let plan = executor.planner(for: artifact, unixTime: time, peers: []).plan(probes: probes)
        var request = app.request(environment, time: time)
        request.plan = plan
        return (plan, request)
    }
}
