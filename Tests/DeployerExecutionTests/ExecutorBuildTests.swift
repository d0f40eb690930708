import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// Build steps (`local: true`) run on the controller before any host is touched, against
/// simulated hosts (`LocalFleet`) and real processes on the controller.
@Suite struct ExecutorBuildTests {
    let hosts = ["host1", "host2"]

    static func step(_ name: String, _ command: String, outputs: [String] = [], timeout: Double? = nil,
                     needs: [String] = [], env: [String: String] = [:]) throws -> ResolvedTask {
        var task = ResolvedTask(name: name, phase: .build, needs: needs, run: try Template(parsing: command), local: true,
                                timeoutSeconds: timeout, env: try env.mapValues { try Template(parsing: $0) })
        task.outputs = outputs
        return task
    }

    func push(_ fleet: LocalFleet, _ app: Fixture, _ environment: ResolvedEnvironment, reporter: RecordingReporter,
              secrets: [String: String] = [:], control: RunControl = RunControl(), time: Int = 1_795_923_900,
              force: Bool = false) async -> RunSummary {
        await Executor(environment: environment, connector: fleet, reporter: reporter, control: control, secrets: secrets)
            .push(app.request(environment, force: force, time: time))
    }

    static func started(_ reporter: RecordingReporter) -> [String] {
        reporter.events.compactMap { if case let .buildStepStarted(step, _) = $0 { step } else { nil } }
    }

    static func output(_ reporter: RecordingReporter) -> [String] {
        reporter.events.compactMap { if case let .buildOutput(_, line) = $0 { line } else { nil } }
    }

    static func touchedAHost(_ reporter: RecordingReporter) -> Bool {
        reporter.events.contains { if case .stepStarted = $0 { true } else { false } }
    }

    /// Two steps in `needs` order, with the recipe's vars through templates and `env:`; only the
    /// declared outputs are shipped, and every host gets what the controller built.
    @Test func stepsRunOnTheControllerInNeedsOrderAndTheirOutputsAreTheRelease() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.vars = ["greeting": "hello world"]
        environment.tasks = [
            try Self.step("page", "cp dist/title.txt dist/index.html && echo \"$GREETING\" >>dist/index.html",
                          outputs: ["dist"], needs: ["title"], env: ["GREETING": "{{ greeting }}"]),
            try Self.step("title", "mkdir -p dist && echo {{ app }}-{{ env }} >dist/title.txt && test ! -e .git"),
        ]
        let reporter = RecordingReporter()
        let pushed = await push(fleet, app, environment, reporter: reporter)
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        #expect(Self.started(reporter) == ["title", "page"])
        let firstHostStep = reporter.events.firstIndex { if case .stepStarted = $0 { true } else { false } }
        let lastBuildEvent = reporter.events.lastIndex { if case .buildStepFinished = $0 { true } else { false } }
        #expect(try #require(lastBuildEvent) < (try #require(firstHostStep)), "the build ends before any host is touched")
        for host in hosts {
            #expect(fleet.read(host, "current/dist/index.html") == "demo-staging\nhello world\n")
            #expect(!fleet.exists(host, "current/app.txt"), "only the declared outputs are shipped")
        }
        #expect(!FileManager.default.fileExists(atPath: app.source + "/dist"), "the work tree is never built in")
    }

    /// The second push of the same tree and steps builds nothing (`build_reused`) and ships the same
    /// digest; a changed file builds again.
    @Test func theSameTreeIsBuiltOnce() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.tasks = [try Self.step("stamp", "date +%s%N >stamp.txt")]
        let first = RecordingReporter()
        #expect(await push(fleet, app, environment, reporter: first).result == .succeeded)
        #expect(Self.started(first) == ["stamp"])
        let stamp = fleet.read("host1", "current/stamp.txt")
        let second = RecordingReporter()
        let again = await push(fleet, app, environment, reporter: second, time: 1_795_924_000, force: true)
        #expect(again.result == .succeeded, "\(again.message)")
        #expect(Self.started(second).isEmpty, "nothing is built the second time")
        let reused = second.events.compactMap { if case let .buildReused(digest, _) = $0 { digest } else { nil } }
        let shipped = second.events.compactMap { if case let .artifactReady(_, digest, _) = $0 { digest } else { nil } }
        #expect(reused.count == 1 && reused == shipped)
        #expect(fleet.read("host1", "current/stamp.txt") == stamp)
        try app.write("app.txt", "version 2\n")
        let third = RecordingReporter()
        #expect(await push(fleet, app, environment, reporter: third, time: 1_795_924_100).result == .succeeded)
        #expect(Self.started(third) == ["stamp"], "a changed tree is built again")
    }

    /// A failing step stops the push before any host is touched, naming the step, its command and its
    /// last lines; nothing of it is cached, so the next push builds again.
    @Test func aFailingStepStopsThePushBeforeAnyHostIsTouched() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.tasks = [try Self.step("compile", "echo compiling; echo 'error: missing semicolon' >&2; exit 3")]
        let reporter = RecordingReporter()
        let pushed = await push(fleet, app, environment, reporter: reporter)
        #expect(pushed.result == .failed)
        #expect(pushed.result.exitStatus == 1)
        for part in ["build step 'compile'", "exit status 3", "command: echo compiling;", "error: missing semicolon",
                     "nothing was changed on any host"] {
            #expect(pushed.message.contains(part), "\(part) in \(pushed.message)")
        }
        #expect(Self.output(reporter) == ["compiling", "error: missing semicolon"])
        #expect(!Self.touchedAHost(reporter))
        for host in hosts { #expect(!fleet.exists(host, ".deployer")) }
        let cached = try FileManager.default.contentsOfDirectory(atPath: app.cache)
        #expect(!cached.contains { $0.hasPrefix("build-") || $0.hasPrefix("tmp-build") }, "\(cached)")
    }

    /// A declared output the steps did not make fails the build, naming it, its step and where the
    /// recipe declares the step (the location was missing).
    @Test func aMissingOutputFailsTheBuild() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        var assets = try Self.step("assets", "mkdir -p build", outputs: ["dist"])
        assets.location = SourceLocation(file: "deploy.yml", line: 14, column: 3)
        environment.tasks = [assets]
        let pushed = await push(fleet, app, environment, reporter: RecordingReporter())
        #expect(pushed.result == .failed)
        #expect(pushed.message.contains("the build made no 'dist', declared in 'outputs' of build step 'assets' (deploy.yml:14:3)"),
                "\(pushed.message)")
    }

    /// A step past its `timeout` is stopped with its whole process group and ends with exit status
    /// 124, as an env build on a host does.
    @Test func aStepPastItsTimeoutIsStoppedWithStatus124() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let pidFile = app.cache + "-pid"
        environment.tasks = [try Self.step("slow", "sleep 60 & echo $! >\(pidFile); wait", timeout: 1)]
        let reporter = RecordingReporter()
        let started = ContinuousClock.now
        let pushed = await push(fleet, app, environment, reporter: reporter)
        // Well under the step's 60 s: the step was stopped, not waited for (the margin is for a loaded machine).
        #expect(started.duration(to: .now) < .seconds(45))
        #expect(pushed.result == .failed)
        #expect(pushed.message.contains("timeout") && pushed.message.contains("124"), "\(pushed.message)")
        #expect(reporter.events.contains { if case .buildStepFinished("slow", _, 124) = $0 { true } else { false } })
        #expect(!(try Self.processAlive(pidFile: pidFile)), "the step's background child was killed")
        #expect(!Self.touchedAHost(reporter))
    }

    /// Ctrl-C (a stop request) during a step kills the step's whole process group: the push ends
    /// `interrupted` with no child left and no host touched.
    @Test func aStopRequestKillsTheStepsProcessGroup() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        let pidFile = app.cache + "-pid"
        environment.tasks = [try Self.step("long", "sleep 60 & echo $! >\(pidFile); sleep 60")]
        let control = RunControl()
        let reporter = RecordingReporter()
        let stopper = Task {
            while !FileManager.default.fileExists(atPath: pidFile) { try await Task.sleep(for: .milliseconds(50)) }
            control.requestStop("SIGINT")
        }
        let started = ContinuousClock.now
        let pushed = await push(fleet, app, environment, reporter: reporter, control: control)
        try await stopper.value
        #expect(started.duration(to: .now) < .seconds(45), "the step was waited for, not stopped")
        #expect(pushed.result == .interrupted, "\(pushed.message)")
        #expect(pushed.message.contains("SIGINT") && pushed.message.contains("'long'"), "\(pushed.message)")
        #expect(!(try Self.processAlive(pidFile: pidFile)), "the step's background child was killed")
        #expect(!Self.touchedAHost(reporter))
    }

    /// A secret a step prints is masked in its output events; the command shows a reference, never the value.
    @Test func aSecretPrintedByAStepIsMasked() async throws {
        let fleet = try LocalFleet(), app = try Fixture()
        var environment = app.environment(hosts: hosts, deployTo: fleet.deployTo)
        environment.secrets = ["NPM_TOKEN"]
        environment.tasks = [try Self.step("login", "echo token={{ NPM_TOKEN }}; echo \"also $AUTH\"",
                                           env: ["AUTH": "Bearer {{ NPM_TOKEN }}"])]
        let reporter = RecordingReporter()
        let pushed = await push(fleet, app, environment, reporter: reporter, secrets: ["NPM_TOKEN": "s3cr3t-t0ken-value"])
        #expect(pushed.result == .succeeded, "\(pushed.message)")
        #expect(Self.output(reporter) == ["token=****", "also Bearer ****"])
        #expect(!"\(reporter.events)".contains("s3cr3t-t0ken-value"))
    }

    /// Whether the process whose id is in `pidFile` still runs (a zombie waiting for a reaper does not).
    static func processAlive(pidFile: String) throws -> Bool {
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(text))
        usleep(200_000)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }
}
