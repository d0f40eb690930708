import DeployerModel
import DeployerPlanning
import Foundation

/// Runs pushes, rollbacks and fleet inspections on the hosts of one
/// environment, reporting every step as a `DeployEvent`.
///
/// Each step is one generated script per host (one round trip), sent to all
/// hosts in parallel up to `options.parallel`; `control` can ask a run to
/// stop between steps.
public struct Executor: Sendable {
    public var environment: ResolvedEnvironment
    public var connector: any Connector
    public var reporter: any Reporter
    public var options: ExecutorOptions
    public var control: RunControl
    /// The `--hosts`/`--roles` limit `environment` was narrowed by, nil when the command covers the whole fleet.
    public var limit: HostLimit?
    /// Secret values (by name) exported to tasks and masked in output.
    public var secrets: [String: String] { didSet { secretMask = SecretMask(secrets: secrets) } }
    /// Hides `secrets` in commands and output; built once, not per script.
    private(set) var secretMask: SecretMask

    public init(environment: ResolvedEnvironment, connector: any Connector, reporter: any Reporter,
                options: ExecutorOptions = ExecutorOptions(), control: RunControl = RunControl(),
                secrets: [String: String] = [:], limit: HostLimit? = nil) {
        self.environment = environment; self.connector = connector; self.reporter = reporter
        self.options = options; self.control = control; self.secrets = secrets; self.limit = limit
        secretMask = SecretMask(secrets: secrets)
    }

    var hostNames: [String] { environment.hosts.map(\.name) }

    func host(named name: String) -> FleetHost { environment.hosts.first { $0.name == name }! }

    /// Runs `body` for each host, at most `options.parallel` at a time; results by host name.
    func eachHost<T: Sendable>(_ hosts: [FleetHost], _ body: @escaping @Sendable (FleetHost) async -> T) async -> [String: T] {
        let results = await concurrently(hosts, atMost: options.parallel, body)
        return Dictionary(zip(hosts.map(\.name), results)) { _, later in later }
    }

    /// Sends `script` to `host` as one command and collects its markers, reporting the step and its tasks.
    ///
    /// `uploadFollows`: the next script on this host comes with a file (see `outcome`).
    /// `deadline`: how long the controller waits for the script (`StepDeadline.fixed(step)` when nil).
    func run(_ script: ShellScript, on host: FleetHost, step: DeployStep, connections: HostConnections,
             uploadFollows: Bool = false, deadline: StepDeadline? = nil) async -> Result<ScriptRun, HostFailure> {
        await reporting(step, on: host) {
            await outcome(of: script, on: host, step: step, connections: connections, uploadFollows: uploadFollows,
                          deadline: deadline)
        }
    }

    /// Reports `step` on `host` as started, then as finished with `body`'s outcome.
    func reporting<T>(_ step: DeployStep, on host: FleetHost, _ body: () async -> Result<T, HostFailure>)
        async -> Result<T, HostFailure> {
        reporter.report(.stepStarted(host: host.name, step: step))
        let start = ContinuousClock.now
        let result = await body()
        reportFinished(step, on: host, since: start, result)
        return result
    }

    /// Reports `step` on `host`, begun at `start`, as finished with `result`.
    func reportFinished<T>(_ step: DeployStep, on host: FleetHost, since start: ContinuousClock.Instant,
                           _ result: Result<T, HostFailure>) {
        let seconds = start.duration(to: .now).seconds
        switch result {
        case .success: reporter.report(.stepFinished(host: host.name, step: step, seconds: seconds, outcome: .succeeded))
        case let .failure(failure):
            reporter.report(.stepFinished(host: host.name, step: step, seconds: seconds, outcome: failure.outcome))
        }
    }

    /// Runs `script` on `host`; a failure the script reported is a `HostFailure` too. Reports no step events.
    ///
    /// Scripts go to the host's script shell (one shell for all of a run's scripts, see
    /// `Transport.runScript`), except one that comes with `sending`, a file streamed to the host
    /// ahead of it (see `HostScripts.runner`), which runs as a command of its own.
    /// `uploadFollows`: the next script on this host comes with a file, so its command is started
    /// meanwhile (over SSH that saves it two round trips). Past `deadline` (`StepDeadline.fixed(step)`
    /// when nil) the controller stops waiting and the host fails the step.
    func outcome(of script: ShellScript, on host: FleetHost, step: DeployStep, connections: HostConnections,
                 uploadFollows: Bool = false, sending file: (path: String, bytes: Int)? = nil,
                 deadline: StepDeadline? = nil) async -> Result<ScriptRun, HostFailure> {
        switch await runScript(script, on: host, step: step, connections: connections, uploadFollows: uploadFollows,
                               sending: file, deadline: deadline ?? .fixed(step)) {
        case let .success(run):
            if var failure = run.failure(host: host.name, step: step, masking: secretMask) {
                failure.markers = run.markers
                return .failure(failure)
            }
            return .success(run)
        case let .failure(failure):
            return .failure(failure)
        }
    }

    private func runScript(_ script: ShellScript, on host: FleetHost, step: DeployStep, connections: HostConnections,
                           uploadFollows: Bool, sending file: (path: String, bytes: Int)?,
                           deadline: StepDeadline) async -> Result<ScriptRun, HostFailure> {
        let transport: any Transport
        do { transport = try await connections.transport(for: host) } catch {
            return .failure(HostFailure(host: host.name, step: step, message: error.message, unreachable: true))
        }
        let commands = script.commands.mapValues { secretMask.apply($0) }
        let collector = MarkerCollector(host: host.name, reporter: reporter, commands: commands,
                                        switchKind: script.switchKind)
        let splitter = MarkerLineSplitter { collector.add($0) }
        var text = script
        text.export(secrets)
        if environment.shell != .posix { text.runCommands(with: environment.shell.commandRunner) }
        if uploadFollows { await transport.prestart(uploadRunner, timeout: nil) }
        let output: @Sendable (OutputChunk) -> Void = { chunk in
            if case let .stdout(bytes) = chunk { splitter.feed(bytes) }
        }
        let watched = connections.steps.begin("\(step.rawValue) on \(host.name)", deadline: deadline)
        defer {
            connections.steps.end(watched)
            collector.finish()
        }
        let (runner, reader, scriptText) = (uploadRunner, environment.shell.scriptReader, text.text)
        do {
            let result = try await DeadlineRace.run(seconds: deadline.seconds, onTimeout: {
                Executor.deadlinePassed(step: step, deadline: deadline)
            }) { () async throws(TransportError) -> CommandResult in
                if let file {
                    try await transport.run(runner, input: HostScripts.runnerInput(script: scriptText, file: file),
                                            timeout: nil, onOutput: output)
                } else {
                    try await transport.runScript(scriptText, shell: reader, onOutput: output)
                }
            }
            return .success(ScriptRun(markers: collector.markers, result: result, commands: commands))
        } catch {
            connections.drop(host.name)
            var failure = HostFailure(host: host.name, step: step, message: error.message,
                                      unreachable: error.kind == .unreachable || error.kind == .connectionLost)
            failure.markers = collector.markers
            return .failure(failure)
        }
    }

    /// The error of a step whose script outlived its deadline on a host that still answers.
    static func deadlinePassed(step: DeployStep, deadline: StepDeadline) -> TransportError {
        TransportError(.timeout, "the \(step.rawValue) step did not finish within its deadline of \(deadline) "
            + "(its commands' timeouts plus deployer's allowance: \"Deadlines\" in the recipe reference); deployer stopped "
            + "waiting, and what the step started may still run on the host: check it, and give a task that needs longer "
            + "a larger `timeout`")
    }

    /// The command a script that comes with a file runs under (`HostScripts.runner`).
    private var uploadRunner: String { environment.shell.wrap(HostScripts.runner(deployTo: environment.deployTo)) }

    /// A new id for a run: time and randomness, safe in file names.
    public static func newRunID() -> String {
        String(Int(Date().timeIntervalSince1970), radix: 36) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    static func isoNow() -> String { Timestamp.iso8601(Date()) }

    static func jsonLine<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
