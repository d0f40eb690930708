import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The rolling switch against simulated hosts (`LocalFleet`): batches,
/// hooks, health checks and the failure policy, with real scripts.
@Suite struct ExecutorRollingTests {
    let hosts = ["host1", "host2", "host3", "host4", "host5"]

    /// A fleet on a first release, and an environment with `rolling` and a health check that fails on `sick` hosts
    /// once they run the second version.
    func deployed(rolling: RollingPolicy, sick: [String] = [], healthRetries: Int = 0)
        async throws -> (LocalFleet, Fixture, ResolvedEnvironment, ReleaseID) {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let first = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter())
            .push(app.request(environment))
        let release = try #require(first.release)
        try app.write("app.txt", "version 2\n")
        environment.rolling = rolling
        // Only the new release (version 2) is sick, and only on `sick` hosts.
        let test = sick.map { "[ {{host}} != \($0) ]" }.joined(separator: " && ")
        environment.health = HealthCheck(probe: .command(try Template(parsing: sick.isEmpty ? "true" : "echo checking; " + test
                                                                          + " || ! grep -q 'version 2' app.txt || { echo sick >&2; exit 3; }")),
                                         retries: healthRetries, intervalSeconds: 0.1)
        environment.fingerprint = "fp2"
        return (fleet, app, environment, release)
    }

    func push(_ fleet: LocalFleet, _ app: Fixture, _ environment: ResolvedEnvironment,
              reporter: RecordingReporter = RecordingReporter(), control: RunControl = RunControl()) async -> RunSummary {
        await Executor(environment: environment, connector: fleet, reporter: reporter, control: control)
            .push(app.request(environment, time: 1_795_924_000))
    }

    static func batches(_ events: [DeployEvent]) -> [(SwitchKind, Int, [String], [String])] {
        events.compactMap { if case let .batchFinished(index, _, hosts, failed, kind) = $0 { (kind, index, hosts, failed) } else { nil } }
    }

    @Test func healthyBatchesOfTwoSwitchEveryHostInInventoryOrder() async throws {
        let (fleet, app, environment, _) = try await deployed(rolling: RollingPolicy(batch: .count(2)))
        let reporter = RecordingReporter()
        let summary = await push(fleet, app, environment, reporter: reporter)
        #expect(summary.result == .succeeded, "\(summary.message)")
        let batches = ExecutorRollingTests.batches(reporter.events)
        #expect(batches.map(\.2) == [["host1", "host2"], ["host3", "host4"], ["host5"]])
        #expect(batches.allSatisfy { $0.0 == .push && $0.3.isEmpty })
        for host in hosts { #expect(fleet.currentRelease(host) == summary.release?.rawValue) }
        let healthy = reporter.events.filter { if case .healthChecked(_, 1, 1, true, _) = $0 { true } else { false } }
        #expect(healthy.count == hosts.count)
        // No host of a batch switches before the previous batch is done.
        let order = reporter.events.compactMap { event -> String? in
            switch event {
            case let .switched(host, _, _, _): host
            case let .batchFinished(index, _, _, _, _): "batch \(index)"
            default: nil
            }
        }
        #expect(order.firstIndex(of: "host3")! > order.firstIndex(of: "batch 1")!)
        #expect(order.firstIndex(of: "host5")! > order.firstIndex(of: "batch 2")!)
    }

    @Test func aFailingHealthCheckRollsBackItsBatchAndTheEarlierOnesInReverse() async throws {
        let (fleet, app, environment, before) = try await deployed(rolling: RollingPolicy(batch: .count(2)), sick: ["host3"],
                                                                   healthRetries: 2)
        let reporter = RecordingReporter()
        let summary = await push(fleet, app, environment, reporter: reporter)
        #expect(summary.result == .failed)
        let batches = ExecutorRollingTests.batches(reporter.events)
        #expect(batches.map { "\($0.0.rawValue) \($0.1) \($0.3)" }
                == ["push 1 []", "push 2 [\"host3\"]", "revert 2 []", "revert 1 []"])
        for host in hosts { #expect(fleet.currentRelease(host) == before.rawValue, "\(host)") }
        #expect(!reporter.events.contains { if case let .switched(host, _, _, _) = $0 { host == "host5" } else { false } })
        let attempts = reporter.events.compactMap { event -> (Int, Bool, [String])? in
            if case let .healthChecked("host3", attempt, 3, ok, output) = event { (attempt, ok, output) } else { nil }
        }
        // Three tries going forward (each failed, with its output), then one passing try after switching back.
        #expect(attempts.prefix(3).map(\.0) == [1, 2, 3])
        // Each failed try says first what went wrong, then the check's output.
        #expect(attempts.prefix(3).allSatisfy { !$0.1 && $0.2 == ["exit status 3", "checking", "sick"] })
        #expect(summary.message.contains("host3: switch failed with exit status 3: health check failed after 3 attempts"))
        #expect(summary.message.contains("more than max_failures 0"))
        #expect(summary.message.contains("later batches never switched (host5)"))
        let release = try #require(summary.release)
        #expect(fleet.exists("host1", "releases/\(release)/.deployer-failed"))
        #expect(summary.hosts.allSatisfy { $0.current == before && $0.lockReleased })
    }

    @Test func maxFailuresToleratesOneBadHost() async throws {
        let (fleet, app, environment, before) = try await deployed(
            rolling: RollingPolicy(batch: .count(2), maxFailures: .count(1)), sick: ["host3"])
        let reporter = RecordingReporter()
        let summary = await push(fleet, app, environment, reporter: reporter)
        #expect(summary.result == .failed)
        #expect(summary.message.contains("every batch ran; host3 failed, within max_failures 1"))
        for host in ["host1", "host2", "host4", "host5"] { #expect(fleet.currentRelease(host) == summary.release?.rawValue) }
        #expect(fleet.currentRelease("host3") == summary.release?.rawValue)
        #expect(fleet.currentRelease("host3") != before.rawValue)
        #expect(!ExecutorRollingTests.batches(reporter.events).contains { $0.0 == .revert })
    }

    @Test func haltLeavesTheFleetSplitAndSaysSo() async throws {
        let (fleet, app, environment, before) = try await deployed(
            rolling: RollingPolicy(batch: .count(2), onFailure: .halt), sick: ["host4"])
        let summary = await push(fleet, app, environment)
        #expect(summary.result == .failed)
        let release = try #require(summary.release)
        for host in ["host1", "host2", "host3", "host4"] { #expect(fleet.currentRelease(host) == release.rawValue) }
        #expect(fleet.currentRelease("host5") == before.rawValue)
        #expect(summary.message.contains("halted after batch 2/3 (on_failure: halt)"))
        #expect(summary.message.contains("now: host1, host2, host3, host4: \(release); host5: \(before)"))
        #expect(summary.hosts.map { $0.current } == [release, release, release, release, before])
        #expect(!fleet.exists("host1", "releases/\(release)/.deployer-failed"))
    }

    /// After a halted push (hosts 1–4 on the bad release, host5 never reached), a plain rollback brings
    /// every host to the release the fleet ran before the push and leaves host5, already there, alone.
    @Test func aRollbackAfterAHaltedPushGoesBackToWhereTheFleetWasAndLeavesUntouchedHostsAlone() async throws {
        var (fleet, app, environment, _) = try await deployed(
            rolling: RollingPolicy(batch: .count(2), onFailure: .halt), sick: ["host4"])
        environment.tasks = [try Fixture.task("restart", .afterRollback, "touch {{deploy_to}}/rolled-back")]
        try app.write("app.txt", "version 1.5\n")
        let good = await Executor(environment: environment, connector: fleet, reporter: RecordingReporter())
            .push(app.request(environment, time: 1_795_923_950))
        let before = try #require(good.release)
        try app.write("app.txt", "version 2\n")
        let halted = await push(fleet, app, environment)
        #expect(halted.message.contains("halted after batch 2/3"), "\(halted.message)")
        #expect(fleet.currentRelease("host5") == before.rawValue)
        let reporter = RecordingReporter()
        let origin = RunOrigin(who: "tester", command: "deployer rollback", runID: Executor.newRunID())
        let back = await Executor(environment: environment, connector: fleet, reporter: reporter)
            .rollback(RollbackRequest(target: nil, origin: origin))
        #expect(back.result == .succeeded, "\(back.message)")
        for host in hosts { #expect(fleet.currentRelease(host) == before.rawValue, "\(host)") }
        #expect(ExecutorRollingTests.batches(reporter.events).map(\.2) == [["host1", "host2"], ["host3", "host4"]])
        #expect(fleet.exists("host4", "rolled-back") && !fleet.exists("host5", "rolled-back"))
    }

    @Test func hooksRunInOrderAndASickHostStaysDrainedUntilSwitchedBack() async throws {
        let log = NSTemporaryDirectory() + "deployer-hooks-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: log) }
        let rolling = RollingPolicy(batch: .count(2), canary: 1,
                                    drain: RolloutHookCommand(run: try Template(parsing: "echo drain {{host}} >> " + log)),
                                    undrain: RolloutHookCommand(run: try Template(parsing: "echo undrain {{host}} >> " + log)))
        let (fleet, app, environment, _) = try await deployed(rolling: rolling, sick: ["host3"])
        let summary = await push(fleet, app, environment)
        #expect(summary.result == .failed)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(2)) == ["drain host1", "undrain host1"])      // the canary
        // Batch 2: host3 fails its health check and is not undrained.
        #expect(Set(lines[2..<5]) == ["drain host2", "drain host3", "undrain host2"])
        #expect(lines.firstIndex(of: "drain host2")! < lines.firstIndex(of: "undrain host2")!)
        #expect(!lines.prefix(5).contains("undrain host3"))
        // Switching back, batch 2 then the canary: host3 is still drained, so only undrained once healthy.
        #expect(Set(lines[5..<8]) == ["drain host2", "undrain host2", "undrain host3"])
        #expect(Array(lines.suffix(2)) == ["drain host1", "undrain host1"])
        #expect(lines.count == 10)
        #expect(!lines.contains { $0.hasSuffix("host4") || $0.hasSuffix("host5") })
    }

    /// A drain hook on the controller and an undrain hook on another host (`lb`, a simulated host
    /// that is not in the environment) run around each host's script, in batch order.
    @Test func hooksOnTheControllerAndOnAnotherHostRunAroundEachHost() async throws {
        let log = NSTemporaryDirectory() + "deployer-hooks-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: log) }
        let rolling = RollingPolicy(
            batch: .count(2), canary: 1,
            drain: RolloutHookCommand(run: try Template(parsing: "echo drain {{host}} >> " + log), on: .controller),
            undrain: RolloutHookCommand(run: try Template(parsing: "echo undrain {{host}} >> " + log),
                                        on: .host(HostAddress(parsing: "lb")!)))
        let (fleet, app, deployedEnvironment, _) = try await deployed(rolling: rolling)
        var environment = deployedEnvironment
        environment.health = HealthCheck(probe: .command(try Template(parsing: "echo health {{host}} >> " + log)), retries: 0)
        let reporter = RecordingReporter()
        let summary = await push(fleet, app, environment, reporter: reporter)
        #expect(summary.result == .succeeded, "\(summary.message)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(3)) == ["drain host1", "health host1", "undrain host1"], "\(lines)")
        for (range, batch) in [(3..<9, ["host2", "host3"]), (9..<15, ["host4", "host5"])] {
            let steps = Array(lines[range])
            for host in batch {
                let order = ["drain", "health", "undrain"].compactMap { steps.firstIndex(of: "\($0) \(host)") }
                #expect(order.count == 3 && order == order.sorted(), "\(lines)")
            }
        }
        #expect(lines.count == 15)
        // Each hook is reported as the switched host's, inside its switch step.
        #expect(reporter.events.contains { if case .hookFinished("host3", .undrain, _, 0, .host) = $0 { true } else { false } })
        #expect(!reporter.events.contains { if case .stepStarted("lb", _) = $0 { true } else { false } })
    }

    @Test func aFailingControllerDrainHookFailsTheHostNamingTheHookAndTheBatchesGoBack() async throws {
        let refuse = "[ {{host}} != host3 ] || { echo 'lb: pool is locked' >&2; exit 7; }"
        let rolling = RollingPolicy(batch: .count(2), drain: RolloutHookCommand(run: try Template(parsing: refuse), on: .controller))
        let (fleet, app, environment, before) = try await deployed(rolling: rolling)
        let reporter = RecordingReporter()
        let summary = await push(fleet, app, environment, reporter: reporter)
        #expect(summary.result == .failed)
        #expect(summary.message.contains("host3: switch failed with exit status 7: drain hook on controller"), "\(summary.message)")
        #expect(summary.message.contains("lb: pool is locked"), "\(summary.message)")
        #expect(!reporter.events.contains { if case .switched("host3", _, _, _) = $0 { true } else { false } })
        #expect(ExecutorRollingTests.batches(reporter.events).map { "\($0.0.rawValue) \($0.1) \($0.3)" }
                == ["push 1 []", "push 2 [\"host3\"]", "revert 2 []", "revert 1 []"])
        for host in hosts { #expect(fleet.currentRelease(host) == before.rawValue, "\(host)") }
    }

    @Test func aHookHostThatCannotBeReachedFailsTheSwitchedHostWithoutLosingIt() async throws {
        let rolling = RollingPolicy(drain: RolloutHookCommand(run: try Template(parsing: "true"), on: .host(HostAddress(parsing: "lb")!)))
        let (fleet, app, environment, before) = try await deployed(rolling: rolling)
        fleet.makeUnreachable("lb")
        let summary = await push(fleet, app, environment)
        #expect(summary.result == .failed)
        #expect(summary.message.contains("host1: switch failed: drain hook on lb: connection refused"), "\(summary.message)")
        #expect(summary.hosts.allSatisfy { $0.known })
        for host in hosts { #expect(fleet.currentRelease(host) == before.rawValue) }
    }

    /// Hosts of role `api` have their own check, which fails on the new release; `web` hosts keep the environment's.
    @Test func aRolesOwnHealthCheckWinsOverTheEnvironments() async throws {
        let (fleet, app, deployedEnvironment, before) = try await deployed(
            rolling: RollingPolicy(batch: .count(5), maxFailures: .count(5)))
        var environment = deployedEnvironment
        for index in [1, 3] { environment.hosts[index].roles = ["api", "web"] }
        environment.roleHealth = ["api": HealthCheck(probe: .command(try Template(parsing: "! grep -q 'version 2' app.txt")), retries: 0)]
        let summary = await push(fleet, app, environment)
        #expect(summary.result == .failed)
        #expect(summary.message.contains("every batch ran; host2, host4 failed, within max_failures 5"), "\(summary.message)")
        #expect(fleet.currentRelease("host1") != before.rawValue)
    }

    @Test func aStopBetweenBatchesStartsNoOtherBatch() async throws {
        let (fleet, app, environment, before) = try await deployed(rolling: RollingPolicy(batch: .count(2), pauseSeconds: 60))
        let control = RunControl()
        let reporter = StopAfterFirstBatch(control: control)
        let start = ContinuousClock.now
        let summary = await Executor(environment: environment, connector: fleet, reporter: reporter, control: control)
            .push(app.request(environment, time: 1_795_924_000))
        #expect(start.duration(to: .now) < .seconds(30), "the pause ends at the stop request")
        #expect(summary.result == .interrupted)
        let release = try #require(summary.release)
        #expect(fleet.currentRelease("host1") == release.rawValue)
        #expect(fleet.currentRelease("host2") == release.rawValue)
        for host in ["host3", "host4", "host5"] { #expect(fleet.currentRelease(host) == before.rawValue) }
        #expect(summary.message.contains("stopped by SIGINT after batch 1/3; later batches never switched (host3, host4, host5)"))
        for host in hosts { #expect(!fleet.exists(host, ".deployer/lock")) }
    }

    @Test func aHostLostDuringItsBatchCountsAsFailedAndTheOthersGoBack() async throws {
        let (fleet, app, environment, before) = try await deployed(rolling: RollingPolicy(batch: .count(2)))
        fleet.breakConnection("host4", whenScriptContains: "report switched")
        let summary = await push(fleet, app, environment)
        #expect(summary.result == .unreachable)
        for host in ["host1", "host2", "host3", "host4"] { #expect(fleet.currentRelease(host) == before.rawValue) }
        #expect(fleet.currentRelease("host5") == before.rawValue)
        #expect(summary.hosts.first { $0.host == "host4" }?.known == false)
        #expect(summary.message.contains("host4: unknown (lost during its batch"))
    }

    /// A first deploy has nothing to go back to: its hosts are taken back to
    /// having no release (no `current`), as before the push, not left serving
    /// a release that failed its health check.
    @Test func aFailedFirstDeployLeavesNoHostOnTheFailedRelease() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.rolling = RollingPolicy(batch: .count(2))
        environment.health = HealthCheck(probe: .command(try Template(parsing: "[ {{host}} != host3 ] || { echo sick >&2; exit 3; }")))
        let reporter = RecordingReporter()
        let summary = await Executor(environment: environment, connector: fleet, reporter: reporter).push(app.request(environment))
        #expect(summary.result == .failed)
        for host in hosts { #expect(fleet.currentRelease(host) == nil, "\(host) still has current") }
        #expect(ExecutorRollingTests.batches(reporter.events).map { "\($0.0.rawValue) \($0.1) \($0.3)" }
                == ["push 1 []", "push 2 [\"host3\"]", "revert 2 []", "revert 1 []"])
        #expect(summary.hosts.allSatisfy { $0.current == nil && $0.known && $0.lockReleased }, "\(summary.hosts)")
        #expect(summary.message.contains("no release"), "\(summary.message)")
        let release = try #require(summary.release)
        #expect(fleet.exists("host1", "releases/\(release)/.deployer-failed"))
    }

    @Test func rollbackUsesTheSameBatchesAndHealthChecks() async throws {
        let (fleet, app, environment, before) = try await deployed(rolling: RollingPolicy(batch: .percent(40)))
        let pushed = await push(fleet, app, environment)
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        let reporter = RecordingReporter()
        let origin = RunOrigin(who: "tester", command: "deployer rollback", runID: Executor.newRunID())
        let back = await Executor(environment: environment, connector: fleet, reporter: reporter)
            .rollback(RollbackRequest(target: nil, origin: origin))
        #expect(back.result == .succeeded, "\(back.message)")
        #expect(ExecutorRollingTests.batches(reporter.events).map { "\($0.0.rawValue) \($0.2)" }
                == ["rollback [\"host1\", \"host2\"]", "rollback [\"host3\", \"host4\"]", "rollback [\"host5\"]"])
        #expect(reporter.events.filter { if case .healthChecked(_, _, _, true, _) = $0 { true } else { false } }.count == 5)
        for host in hosts { #expect(fleet.currentRelease(host) == before.rawValue) }
    }
}

/// Asks the run to stop when its first batch is done (as a Ctrl-C between batches would).
private final class StopAfterFirstBatch: Reporter, @unchecked Sendable {
    let control: RunControl
    init(control: RunControl) { self.control = control }
    func report(_ event: DeployEvent) {
        if case .batchFinished(1, _, _, _, .push) = event { control.requestStop("SIGINT") }
    }
}
