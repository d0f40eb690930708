import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation

/// `deployer run ENV [--hosts …] [--roles …] -- CMD…` or `deployer run --hosts a,b -- CMD…`:
/// an ad-hoc command on many hosts at once, shown and recorded as every run is (events, JSON, audit log).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command on hosts over SSH, in parallel.",
        discussion: """
            Hosts are an environment's hosts from the recipe (optionally only some: --hosts, --roles), \
            or, without an environment, --hosts: ssh_config aliases or user@host:port. With an environment, \
            the command runs in the recipe's shell (`shell:`; `sh -c` by default, `bash -lc` with `login`), \
            as its tasks do, with its {{ }} values filled and its secrets masked in the output; with --hosts \
            alone, in the login user's shell ($SHELL -c), not a login shell. On a terminal output lines are \
            prefixed by host as they come; otherwise (and with --format plain or -q) grouped per host; \
            --format json writes events, the output as command_output lines. Control characters (escape \
            sequences) are shown as ^[ and the like unless --raw. Every run writes an audit log. \
            Exit status: 0 all ok, 1 a command failed, 4 a host was unreachable (or its key or authentication refused).
            """
    )

    @Argument(help: "The environment whose hosts run the command (from deploy.yml), unless --hosts alone names them.",
              completion: .environments)
    var environment: String?

    @OptionGroup var limit: LimitOptions

    @Option(help: .hidden)
    var role: String?

    @OptionGroup var recipe: RecipeDiscovery.Options

    @OptionGroup var ssh: SSHOptions

    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Stop the command on each host after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Flag(help: "Print the hosts' output as it came, terminal escape sequences included.")
    var raw = false

    @Argument(parsing: .postTerminator, help: "The command to run (after --).")
    var command: [String] = []

    func validate() throws {
        guard environment != nil || limit.hosts != nil else {
            throw ValidationError("name an environment (deployer run prod -- uptime) or hosts (deployer run --hosts web1 -- uptime)")
        }
        if environment == nil, limit.roles != nil || role != nil {
            throw ValidationError("--roles needs an environment: deployer run ENV --roles web -- CMD")
        }
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. deployer run --hosts web1 -- uptime") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        try await CommandRun.perform(.run, environment: environment ?? "hosts", options: output, rawCommandOutput: raw) { run in
            let commandLine = command.joined(separator: " ")
            let executor: Executor
            let commands: [String: String]
            if let environment {
                var limit = limit
                if let role { limit.roles = [limit.roles, role].compactMap { $0 }.joined(separator: ",") }
                let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, run: run, limit: limit)
                executor = context.executor
                commands = try Self.filled(commandLine, for: (context.environment, context.environment.hosts))
            } else {
                let names = try SSHHostResolver.parseList(limit.hosts ?? "")
                executor = try Self.executor(for: names, ssh: ssh, run: run)
                commands = Dictionary(uniqueKeysWithValues: names.map { ($0, commandLine) })
            }
            let summary = await executor.runCommand(commands, timeout: timeout, inRecipeShell: environment != nil,
                                                    runID: run.runID)
            throw summary.result.exitCode
        }
    }

    /// An executor for hosts named on the command line, outside any recipe: no shell, values or secrets of one.
    private static func executor(for names: [String], ssh: SSHOptions, run: CommandRun) throws -> Executor {
        try FileDescriptorLimit.check(hosts: names.count)
        let resolver = try SSHHostResolver(options: ssh)
        resolver.warnAboutHostKeyPolicies(for: names)
        run.open(secrets: [:])
        // Parsed, so that the OpenSSH transport gets user, host and port apart (`ssh -l USER -p PORT HOST`).
        let hosts = names.map {
            FleetHost(address: HostAddress(parsing: $0) ?? HostAddress(name: $0, user: nil, host: $0, port: nil), roles: [])
        }
        return Executor(environment: ResolvedEnvironment(app: "", name: "hosts", deployTo: "", source: .dir(path: "."), hosts: hosts),
                        connector: try resolver.connector(recipeChoice: nil, throttle: ssh.handshakeThrottle()), reporter: run,
                        options: ExecutorOptions(parallel: ssh.parallel))
    }

    /// `command` with its `{{ name }}` values filled for each host, shell-quoted as in tasks: the
    /// environment's vars and `app`, `env`, `host`, `role`, `deploy_to`, `shared`, `current` (no
    /// release is being made: no `release` or `revision`). An unknown name is a usage error (exit 2).
    static func filled(_ command: String, for fleet: (environment: ResolvedEnvironment, hosts: [FleetHost]))
        throws -> [String: String] {
        let template: Template
        do { template = try Template(parsing: command) } catch {
            throw ValidationError("the command's template: \(error.message) (at character \(error.offset + 1))")
        }
        let layout = RemoteLayout(deployTo: fleet.environment.deployTo)
        var commands: [String: String] = [:]
        for host in fleet.hosts {
            var values = fleet.environment.vars
            values["app"] = fleet.environment.app
            values["env"] = fleet.environment.name
            values["host"] = host.name
            values["role"] = host.roles.first ?? ""
            values["deploy_to"] = fleet.environment.deployTo
            values["shared"] = layout.shared
            values["current"] = layout.current
            do { commands[host.name] = try template.render(values) } catch {
                if fleet.environment.secrets.contains(error.name) {
                    throw ValidationError("the command uses '{{ \(error.name) }}', a secret of the recipe: deployer run passes no "
                        + "secret to a command (a task does: deployer task \(fleet.environment.name) NAME)")
                }
                throw ValidationError("the command uses '{{ \(error.name) }}', which is neither a var of environment "
                    + "'\(fleet.environment.name)' nor one of app, env, host, role, deploy_to, shared, current")
            }
        }
        return commands
    }
}
