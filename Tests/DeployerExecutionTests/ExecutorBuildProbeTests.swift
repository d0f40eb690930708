import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// A build step's `host_probe`: asked of every host (simulated: `LocalFleet`) before the build, its
/// common answer given to the step and keyed into the cache; hosts that answer differently stop the
/// push before any host is touched.
@Suite struct ExecutorBuildProbeTests {
    let hosts = ["host1", "host2"]

    /// The step that writes what the hosts answer about their Python; each host's answer is the file `abi`
    /// under its deploy_to (the fleet points the path at the host's own directory).
    func environment(_ app: Fixture, _ fleet: LocalFleet) throws -> ResolvedEnvironment {
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        var step = try ExecutorBuildTests.step("wheels", "echo \"built for $DEPLOYER_HOST_PROBE\" >abi.txt")
        step.hostProbe = try Template(parsing: "cat \(fleet.deployTo)/abi")
        environment.tasks = [step]
        return environment
    }

    func push(_ fleet: LocalFleet, _ app: Fixture, _ environment: ResolvedEnvironment, reporter: RecordingReporter,
              time: Int = 1_795_923_900) async -> RunSummary {
        await Executor(environment: environment, connector: fleet, reporter: reporter)
            .push(app.request(environment, force: true, time: time))
    }

    @Test func theHostsAnswerReachesTheStepAndKeysTheCache() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = try environment(app, fleet)
        for host in hosts { try fleet.write(host, "abi", "cpython 3.11.2\n") }
        let first = RecordingReporter()
        let pushed = await push(fleet, app, environment, reporter: first)
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        for host in hosts { #expect(fleet.read(host, "current/abi.txt") == "built for cpython 3.11.2\n") }

        let same = RecordingReporter()
        #expect(await push(fleet, app, environment, reporter: same, time: 1_795_924_000).result == .succeeded)
        #expect(ExecutorBuildTests.started(same).isEmpty, "the same answer finds the build in the cache")

        for host in hosts { try fleet.write(host, "abi", "cpython 3.12.1\n") }
        let upgraded = RecordingReporter()
        #expect(await push(fleet, app, environment, reporter: upgraded, time: 1_795_924_100).result == .succeeded)
        #expect(ExecutorBuildTests.started(upgraded) == ["wheels"], "another answer is another build")
        for host in hosts { #expect(fleet.read(host, "current/abi.txt") == "built for cpython 3.12.1\n") }
    }

    @Test func hostsThatAnswerDifferentlyStopThePushBeforeAnyIsTouched() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = try environment(app, fleet)
        try fleet.write("host1", "abi", "cpython 3.11.2\n")
        try fleet.write("host2", "abi", "cpython 3.9.2\n")
        let reporter = RecordingReporter()
        let pushed = await push(fleet, app, environment, reporter: reporter)
        #expect(pushed.result == .failed)
        for part in ["build step 'wheels'", "answer its host_probe", "  host1: cpython 3.11.2\n", "  host2: cpython 3.9.2\n",
                     "nothing was changed on any host"] {
            #expect(pushed.message.contains(part), "\(part) in \(pushed.message)")
        }
        #expect(ExecutorBuildTests.started(reporter).isEmpty)
        #expect(!ExecutorBuildTests.touchedAHost(reporter))
        for host in hosts { #expect(fleet.releases(host).isEmpty && !fleet.exists(host, ".deployer")) }
    }

    @Test func aProbeThatFailsOrAHostOutOfReachStopsThePush() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        let environment = try environment(app, fleet)
        try fleet.write("host1", "abi", "cpython 3.11.2\n")
        let failed = await push(fleet, app, environment, reporter: RecordingReporter())
        #expect(failed.result == .failed)
        #expect(failed.message.contains("not every host answered") && failed.message.contains("host2: exit status 1"),
                "\(failed.message)")
        fleet.makeUnreachable("host2")
        let unreachable = await push(fleet, app, environment, reporter: RecordingReporter())
        #expect(unreachable.result == .unreachable, "\(unreachable.message)")
        #expect(unreachable.message.contains("host2"), "\(unreachable.message)")
        #expect(fleet.releases("host1").isEmpty)
    }
}
