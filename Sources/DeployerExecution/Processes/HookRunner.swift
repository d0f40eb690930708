import DeployerModel

/// Runs the drain and undrain hooks that do not run on the host being
/// switched: on the controller (`/bin/sh -c`, in deployer's working
/// directory) or on another host over SSH, in its login directory. Such a
/// host is reached through ssh_config like any host and connected once per
/// rollout, on connections of its own: a hook target is not one of the run's
/// hosts, so its connection is not reported as theirs are (a failure to reach
/// it is part of the failure of the host it was run for).
///
/// Each hook is one round trip, with the recipe's secrets exported, as on the
/// switched host; `{{ host }}` was already filled in with the switched host.
struct HookRunner: Sendable {
    let shell: RemoteShell
    let deployTo: String
    private let connections: HostConnections
    let reporter: any Reporter
    let secrets: [String: String]
    private let mask: SecretMask
    /// Hooks of one batch run in parallel; on one hook host each is an SSH channel of the same
    /// session, and sshd refuses more than `MaxSessions` (10 by default) at once.
    private let channels: [String: ConcurrencyLimit]
    /// The run's steps in flight: a hook is one while it runs.
    private let steps: StepWatch

    /// Channels open at once on one hook host: below sshd's default `MaxSessions`, leaving room for its own rollout.
    static let channelsPerHookHost = 8

    init(environment: ResolvedEnvironment, connector: any Connector, reporter: any Reporter, secrets: [String: String],
         steps: StepWatch) {
        self.steps = steps
        shell = environment.shell
        deployTo = environment.deployTo
        connections = HostConnections(connector: connector, reporter: SilentReporter())
        self.reporter = reporter
        self.secrets = secrets
        mask = SecretMask(secrets: secrets)
        var channels: [String: ConcurrencyLimit] = [:]
        for case let .host(address)? in [environment.rolling.drain?.target, environment.rolling.undrain?.target] {
            channels[address.name] = channels[address.name] ?? ConcurrencyLimit(permits: Self.channelsPerHookHost)
        }
        self.channels = channels
    }

    /// Closes the connections to hook hosts.
    func close() async { await connections.closeAll() }

    /// Runs `rendered` for `host`, reporting it as `host`'s hook; nil when it
    /// exited 0, else `host`'s failure naming the hook, where it ran, and the
    /// last lines of its output.
    func run(_ hook: RolloutHook, _ rendered: RenderedHook, for host: FleetHost, step: DeployStep) async -> HostFailure? {
        let masked = mask.apply(rendered.command)
        var script = HostScripts.hook(deployTo: deployTo, command: rendered.command)
        script.export(secrets)
        let start = ContinuousClock.now
        let result: CommandResult
        // A hook has no timeout of its own: the controller's deadline for an untimed command applies.
        let deadline = StepDeadline.commands([nil])
        let exported = script
        let watched = steps.begin("\(hook.name(on: rendered.target)) for \(host.name)", deadline: deadline)
        defer { steps.end(watched) }
        do {
            result = try await DeadlineRace.run(seconds: deadline.seconds, onTimeout: {
                Executor.deadlinePassed(step: step, deadline: deadline)
            }) { () async throws(TransportError) -> CommandResult in
                try await run(exported, on: rendered.target, switching: host)
            }
        } catch {
            return HostFailure(host: host.name, step: step, message: "\(hook.name(on: rendered.target)): \(error.message)", command: masked)
        }
        reporter.report(.hookFinished(host: host.name, hook: hook, seconds: start.duration(to: .now).seconds,
                                      exitStatus: result.exitStatus, on: rendered.target))
        guard !result.succeeded else { return nil }
        let tail = result.stdout.split(separator: "\n", omittingEmptySubsequences: true).suffix(20)
            .map { mask.apply(String($0)) }
        return HostFailure(host: host.name, step: step, exitStatus: result.exitSignal == nil ? result.exitStatus : nil,
                           message: hook.name(on: rendered.target) + (result.exitSignal.map { " killed by signal \($0)" } ?? ""),
                           stderrTail: Array(tail), command: masked)
    }

    private func run(_ script: ShellScript, on target: HookTarget, switching host: FleetHost)
        async throws(TransportError) -> CommandResult {
        let bytes = Array(script.text.utf8)
        switch target {
        case .controller:
            return try await LocalTransport().run("sh -s", stdin: bytes, timeout: nil, onOutput: nil)
        case .switchedHost:
            return try await connections.transport(for: host).run(shell.scriptReader, stdin: bytes, timeout: nil, onOutput: nil)
        case let .host(address):
            let limit = channels[address.name] ?? ConcurrencyLimit(permits: Self.channelsPerHookHost)
            await limit.acquire()
            let result: Result<CommandResult, TransportError>
            do {
                let transport = try await connections.transport(for: FleetHost(address: address, roles: []))
                result = .success(try await transport.run(shell.scriptReader, stdin: bytes, timeout: nil, onOutput: nil))
            } catch {
                connections.drop(address.name)
                result = .failure(error)
            }
            await limit.release()
            return try result.get()
        }
    }
}
