import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The executor against simulated hosts (`LocalFleet`): real scripts, real files.
@Suite struct ExecutorPushTests {
    let hosts = ["host1", "host2", "host3"]

    func executor(_ fleet: LocalFleet, _ environment: ResolvedEnvironment, reporter: RecordingReporter = RecordingReporter(),
                  options: ExecutorOptions = ExecutorOptions(), control: RunControl = RunControl()) -> Executor {
        Executor(environment: environment, connector: fleet, reporter: reporter, options: options, control: control)
    }

    @Test func firstPushSwitchesEveryHostAndSecondPushChangesNothing() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let first = await executor(fleet, environment).push(app.request(environment))
        #expect(first.result == .succeeded, "\(first.message)")
        let release = try #require(first.release)
        for host in hosts {
            #expect(fleet.currentRelease(host) == release.rawValue)
            #expect(fleet.read(host, "current/app.txt") == "version 1\n")
            #expect(fleet.exists(host, "current/.deployer-release.json"))
            #expect(fleet.exists(host, "shared/logs"))
            #expect(!fleet.exists(host, ".deployer/lock"))
            #expect(fleet.read(host, ".deployer/history.jsonl")?.split(separator: "\n").count == 1)
        }
        let reporter = RecordingReporter()
        let second = await executor(fleet, environment, reporter: reporter).push(app.request(environment, time: 1_795_924_000))
        #expect(second.result == .alreadyCurrent)
        #expect(second.message.contains("already at \(release)"))
        #expect(fleet.releases("host1") == [release.rawValue])
        #expect(!reporter.events.contains { if case .lockAcquired = $0 { true } else { false } })
        #expect(reporter.events.filter { if case .stepStarted = $0 { true } else { false } }.count == hosts.count,
                "a no-op push is one round trip per host")
    }

    /// A heartbeat due while the finish runs (host2 slow to answer its finish) must not find
    /// host1's lock already released and take the run for taken over by another run, nor write into
    /// a lock directory being removed: the heartbeat ends before any lock is released.
    @Test func theHeartbeatEndsBeforeTheFinishReleasesTheLocks() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: ["host1", "host2"], deployTo: fleet.deployTo)
        fleet.delay("host2", whenScriptContains: "finished_release=", seconds: 1)
        let control = RunControl()
        let pushed = await executor(fleet, environment, options: ExecutorOptions(heartbeatSeconds: 0.05), control: control)
            .push(app.request(environment))
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        #expect(control.stopReason == nil)
        for host in ["host1", "host2"] { #expect(!fleet.exists(host, ".deployer/lock"), "\(host)") }
    }

    /// An env build past its `timeout` is stopped (exit 124): the host fails prepare, no host
    /// switches, and the next push builds the env again instead of trusting a half-made one.
    @Test func anEnvBuildPastItsTimeoutIsStoppedAndRebuiltNextTime() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let slow = DependencyEnv(name: "venv", keyFiles: ["requirements.txt"],
                                 build: try Template(parsing: "if [ -e {{deploy_to}}/slow ]; then sleep 30; fi; touch {{env_dir}}/built"),
                                 timeoutSeconds: 1)
        let environment = app.environment(hosts: ["host1", "host2"], deployTo: fleet.deployTo, envs: [slow])
        let slowMarker = try fleet.write("host2", "slow", "")
        // Exit status 124 in the failure says `timeout` stopped the 30 s build (no wall-clock limit:
        // under load it took 25–77 s to get here).
        let failed = await executor(fleet, environment).push(app.request(environment))
        #expect(failed.result == .failed)
        #expect(failed.message.contains("host2") && failed.message.contains("env:venv") && failed.message.contains("124"),
                "\(failed.message)")
        #expect(fleet.currentRelease("host1") == nil && fleet.currentRelease("host2") == nil)

        try FileManager.default.removeItem(atPath: slowMarker)
        let pushed = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000))
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        #expect(fleet.exists("host2", "current/venv/built"))
    }

    @Test func newRevisionKeepsSharedFilesAndForceMakesANewRelease() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo,
                                          shared: SharedPaths(dirs: ["logs"], files: [".env"]))
        for host in hosts { try fleet.write(host, "shared/.env", "") }
        let first = await executor(fleet, environment).push(app.request(environment))
        try fleet.write("host2", "shared/.env", "SECRET=1\n")
        try app.write("app.txt", "version 2\n")
        let second = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000))
        #expect(second.result == .succeeded)
        #expect(second.release != first.release)
        #expect(fleet.read("host2", "current/app.txt") == "version 2\n")
        #expect(fleet.read("host2", "current/.env") == "SECRET=1\n")
        let forced = await executor(fleet, environment).push(app.request(environment, force: true, time: 1_795_924_100))
        #expect(forced.result == .succeeded)
        #expect(fleet.releases("host1").count == 3)
    }

    @Test func aTaskFailingOnOneHostSwitchesNoHost() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let good = await executor(fleet, environment).push(app.request(environment))
        environment.tasks = [try Fixture.task("check", .prepare,
                                              "echo checking >&2; if [ {{host}} = host2 ]; then echo broken config >&2; exit 3; fi")]
        environment.fingerprint = "fp2"
        let failed = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000))
        #expect(failed.result == .failed)
        #expect(failed.message.contains("host2: prepare task 'check' failed with exit status 3"))
        #expect(failed.message.contains("broken config"))
        for host in hosts {
            #expect(fleet.currentRelease(host) == good.release?.rawValue)
            #expect(!fleet.exists(host, ".deployer/lock"))
        }
        let failedRelease = try #require(failed.release)
        #expect(fleet.exists("host2", "releases/\(failedRelease)/.deployer-failed"))
        #expect(fleet.read("host1", ".deployer/history.jsonl")?.contains("\"result\":\"failed\"") == true)
    }

    @Test func aHostLostDuringPrepareSwitchesNoHostAndUnlocksTheOthers() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let good = await executor(fleet, environment).push(app.request(environment))
        try app.write("app.txt", "version 2\n")
        fleet.breakConnection("host3", whenScriptContains: "report prepared")
        let failed = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000))
        #expect(failed.result == .unreachable)
        for host in hosts { #expect(fleet.currentRelease(host) == good.release?.rawValue) }
        #expect(!fleet.exists("host1", ".deployer/lock"))
        #expect(!fleet.exists("host2", ".deployer/lock"))
        #expect(failed.message.contains("host3"))
    }

    @Test func envsAreBuiltOncePerKeyAndRebuiltWhenItChanges() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let build = try Template(parsing: "mkdir -p {{env_dir}}/bin && date +%s%N > {{env_dir}}/built")
        let environment = app.environment(hosts: ["host1"], deployTo: fleet.deployTo,
                                          envs: [DependencyEnv(name: "venv", keyFiles: ["requirements.txt"], build: build)])
        let reporter1 = RecordingReporter(), reporter2 = RecordingReporter(), reporter3 = RecordingReporter()
        _ = await executor(fleet, environment, reporter: reporter1).push(app.request(environment))
        let builtFirst = fleet.read("host1", "current/venv/built")
        try app.write("app.txt", "version 2\n")
        _ = await executor(fleet, environment, reporter: reporter2).push(app.request(environment, time: 1_795_924_000))
        #expect(fleet.read("host1", "current/venv/built") == builtFirst)
        #expect(reporter2.events.contains { if case .envReady(_, "venv", _, true) = $0 { true } else { false } })
        try app.write("requirements.txt", "flask==3.1\n")
        _ = await executor(fleet, environment, reporter: reporter3).push(app.request(environment, time: 1_795_924_100))
        #expect(reporter3.events.contains { if case .envReady(_, "venv", _, false) = $0 { true } else { false } })
        #expect(fleet.read("host1", "current/venv/built") != builtFirst)
    }

    @Test func pruneKeepsTheNewestGoodReleases() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: ["host1", "host2"], deployTo: fleet.deployTo, keep: 2)
        var made: [String] = []
        for round in 0..<4 {
            try app.write("app.txt", "version \(round)\n")
            let summary = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000 + round * 100))
            made.append(summary.release!.rawValue)
        }
        #expect(fleet.releases("host1") == Array(made.suffix(2)))
        #expect(fleet.releases("host2") == Array(made.suffix(2)))
    }

    @Test func rollbackGoesToThePreviousReleaseAndRefusesAMissingOne() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.tasks = [try Fixture.task("restart", .afterRollback, "touch {{deploy_to}}/rolled-back")]
        let first = await executor(fleet, environment).push(app.request(environment))
        try app.write("app.txt", "version 2\n")
        let second = await executor(fleet, environment).push(app.request(environment, time: 1_795_924_000))
        let origin = RunOrigin(who: "tester", command: "deployer rollback", runID: Executor.newRunID())
        let back = await executor(fleet, environment).rollback(RollbackRequest(target: nil, origin: origin))
        #expect(back.result == .succeeded, "\(back.message)")
        for host in hosts {
            #expect(fleet.currentRelease(host) == first.release?.rawValue)
            #expect(fleet.exists(host, "rolled-back"))
            #expect(!fleet.exists(host, ".deployer/lock"))
        }
        let none = await executor(fleet, environment).rollback(RollbackRequest(target: nil, origin: origin))
        #expect(none.result == .failed)
        #expect(none.message.contains("no earlier release"))
        let forward = await executor(fleet, environment).rollback(RollbackRequest(target: second.release, origin: origin))
        #expect(forward.result == .succeeded)
        #expect(fleet.currentRelease("host2") == second.release?.rawValue)
        let missing = await executor(fleet, environment).rollback(
            RollbackRequest(target: ReleaseID(rawValue: "20200101T000000Z-abc1234"), origin: origin))
        #expect(missing.result == .failed)
        #expect(missing.message.contains("host1 (not present)"))
    }

    /// A plain rollback follows what ran, not creation order: after `--to` an older release it goes to the
    /// one that was current before the release it left, never back to a release a rollback left.
    @Test func aPlainRollbackAfterRollbackToAnOlderReleaseSkipsTheReleaseItLeft() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        var made: [ReleaseID] = []
        for round in 1...3 {
            try app.write("app.txt", "version \(round)\n")
            made.append(try #require(await executor(fleet, environment).push(app.request(environment, time: 1_795_920_000 + round * 100)).release))
        }
        let origin = RunOrigin(who: "tester", command: "deployer rollback", runID: Executor.newRunID())
        let toOldest = await executor(fleet, environment).rollback(RollbackRequest(target: made[0], origin: origin))
        #expect(toOldest.result == .succeeded, "\(toOldest.message)")
        #expect(fleet.exists("host1", "releases/\(made[2])/.deployer-rolled-back"))
        let back = await executor(fleet, environment).rollback(RollbackRequest(target: nil, origin: origin))
        #expect(back.result == .succeeded, "\(back.message)")
        for host in hosts { #expect(fleet.currentRelease(host) == made[1].rawValue) }
        #expect(!fleet.exists("host1", "releases/\(made[1])/.deployer-rolled-back"))
    }

    /// Push A, roll back to B, push A again (a new release of A's code): the rollback goes to B, the release
    /// that was current before, not to the first release of A that creation order would pick.
    @Test func aRollbackAfterShippingAgainWhatWasRolledBackGoesWhereTheFleetWas() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        try app.write("app.txt", "version B\n")
        let releaseB = try #require(await executor(fleet, environment).push(app.request(environment, time: 1_795_920_000)).release)
        try app.write("app.txt", "version A\n")
        let firstA = try #require(await executor(fleet, environment).push(app.request(environment, time: 1_795_920_100)).release)
        let origin = RunOrigin(who: "tester", command: "deployer rollback", runID: Executor.newRunID())
        let toB = await executor(fleet, environment).rollback(RollbackRequest(target: nil, origin: origin))
        #expect(toB.release == releaseB, "\(toB.message)")
        let againA = try #require(await executor(fleet, environment).push(app.request(environment, time: 1_795_920_200)).release)
        #expect(againA != firstA)
        let back = await executor(fleet, environment).rollback(RollbackRequest(target: nil, origin: origin))
        #expect(back.result == .succeeded, "\(back.message)")
        for host in hosts {
            #expect(fleet.currentRelease(host) == releaseB.rawValue)
            #expect(fleet.read(host, "current/app.txt") == "version B\n")
        }
    }

    @Test func aHeldLockStopsThePushAndReleasesWhatItTook() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        try fleet.write("host2", ".deployer/lock/heartbeat", "\(Int(Date().timeIntervalSince1970))\n")
        let held = await executor(fleet, environment).push(app.request(environment))
        #expect(held.result == .lockHeld)
        #expect(held.message.contains("host2 is locked"))
        #expect(!fleet.exists("host1", ".deployer/lock"))
        #expect(fleet.currentRelease("host1") == nil)
    }

    @Test func lockWaitOutlastsAShortHold() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let lockDirectory = (try fleet.write("host1", ".deployer/lock/heartbeat", "\(Int(Date().timeIntervalSince1970))\n")
            as NSString).deletingLastPathComponent
        let release = Task {
            try await Task.sleep(for: .milliseconds(800))
            try FileManager.default.removeItem(atPath: lockDirectory)
        }
        let waited = await executor(fleet, environment, options: ExecutorOptions(lockWaitSeconds: 10))
            .push(app.request(environment))
        try await release.value
        #expect(waited.result == .succeeded, "\(waited.message)")
        for host in hosts { #expect(fleet.currentRelease(host) == waited.release?.rawValue) }
    }

    /// Two pushes of one revision at once, the second waiting for the first's lock: once it has the
    /// lock it decides again from what the hosts run, finds that revision current, and changes nothing.
    @Test func aPushThatWaitedForAnotherShippingTheSameRevisionChangesNothing() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.tasks = [try Fixture.task("restart", .afterSwitch, "echo x >>{{deploy_to}}/restarts")]
        let waiting = ExecutorOptions(lockWaitSeconds: 60)
        async let first = executor(fleet, environment, options: waiting).push(app.request(environment))
        async let second = executor(fleet, environment, options: waiting).push(app.request(environment, time: 1_795_924_000))
        let results = await [first, second].map(\.result).sorted { $0.rawValue < $1.rawValue }
        #expect(results == [.alreadyCurrent, .succeeded])
        for host in hosts {
            #expect(fleet.releases(host).count == 1, "\(fleet.releases(host))")
            #expect(fleet.read(host, "restarts") == "x\n", "after_switch ran once")
        }
    }

    @Test func aStaleLockIsTakenOverOnlyWhenAsked() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        try fleet.write("host1", ".deployer/lock/heartbeat", "1000\n")
        let refused = await executor(fleet, environment).push(app.request(environment))
        #expect(refused.result == .lockHeld)
        #expect(refused.message.contains("stale"))
        let taken = await executor(fleet, environment, options: ExecutorOptions(breakStaleLock: true))
            .push(app.request(environment))
        #expect(taken.result == .succeeded)
        #expect(fleet.read("host1", ".deployer/history.jsonl")?.contains("lock_broken") == true)
    }

    @Test func aStopRequestedBeforePrepareSwitchesNothing() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let control = RunControl()
        let reporter = StoppingReporter(control: control)
        let summary = await Executor(environment: environment, connector: fleet, reporter: reporter, control: control)
            .push(app.request(environment))
        #expect(summary.result == .interrupted)
        for host in hosts {
            #expect(fleet.currentRelease(host) == nil)
            #expect(!fleet.exists(host, ".deployer/lock"))
        }
    }

    @Test func onceTasksRunOnOneHostAndGuardsSkip() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.tasks = [
            try Fixture.task("migrate", .beforeSwitch, "echo migrated", once: true),
            try Fixture.task("compile", .prepare, "touch compiled", creates: "app.txt"),
            try Fixture.task("restart", .afterSwitch, "touch {{shared}}/restarted"),
        ]
        let reporter = RecordingReporter()
        let summary = await executor(fleet, environment, reporter: reporter).push(app.request(environment))
        #expect(summary.result == .succeeded, "\(summary.message)")
        #expect(reporter.tasksStarted.filter { $0.1 == "migrate" }.map(\.0) == ["host1"])
        #expect(reporter.tasksStarted.filter { $0.1 == "compile" }.isEmpty)
        for host in hosts { #expect(fleet.exists(host, "shared/restarted")) }
    }
}

/// Asks the run to stop as soon as every lock is taken (as a Ctrl-C would).
private final class StoppingReporter: Reporter, @unchecked Sendable {
    let control: RunControl
    init(control: RunControl) { self.control = control }
    func report(_ event: DeployEvent) {
        if case .releaseChosen = event { control.requestStop("SIGINT") }
    }
}
