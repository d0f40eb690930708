import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation
import SSH

/// `deployer run ENV [--role R] -- CMD…` or `deployer run --hosts a,b -- CMD…`:
/// an ad-hoc command on many hosts at once.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command on hosts over SSH, in parallel.",
        discussion: """
            Hosts are an environment's hosts from the recipe (optionally only those of --role), \
            or --hosts: ssh_config aliases or user@host:port. With an environment, the command runs \
            in the recipe's shell (`shell:`; `sh -c` by default, `bash -lc` with `login`), as its \
            tasks do; with --hosts, in the login user's shell ($SHELL -c), not a login shell. Output lines are prefixed by host on a terminal \
            and grouped per host otherwise; control characters (escape sequences) are shown as \
            ^[ and the like unless --raw. Exit status: 0 all ok, 1 a command failed, 4 a host \
            was unreachable (or its key or authentication refused).
            """
    )

    @Argument(help: "The environment whose hosts run the command (from deploy.yml), unless --hosts is given.",
              completion: .environments)
    var environment: String?

    @Option(help: ArgumentHelp("Only the environment's hosts with this role.", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("Comma-separated hosts: ssh_config aliases or user@host:port.", valueName: "hosts"))
    var hosts: String?

    @OptionGroup var recipe: RecipeDiscovery.Options

    @OptionGroup var ssh: SSHOptions

    @Option(help: ArgumentHelp("Stop the command on each host after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Flag(help: "Print the hosts' output byte for byte, terminal escape sequences included.")
    var raw = false

    @Argument(parsing: .postTerminator, help: "The command to run (after --).")
    var command: [String] = []

    func validate() throws {
        guard (environment == nil) != (hosts == nil) else {
            throw ValidationError("name an environment (deployer run prod -- uptime) or --hosts, not both")
        }
        if role != nil, environment == nil { throw ValidationError("--role needs an environment") }
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. deployer run --hosts web1 -- uptime") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        // The output is the hosts' own, prefixed; the run's start and summary go to the audit log.
        try await CommandRun.perform(.run, environment: environment ?? "hosts", options: nil) { recorded in
            try await run(recordedAs: recorded)
        }
    }

    private func run(recordedAs run: CommandRun) async throws {
        let (names, fleet) = try hostNames()
        let commandLine = command.joined(separator: " ")
        let commands = try fleet.map { try Self.filled(commandLine, for: $0) } ?? [:]
        run.report(.runStarted(action: .run, environment: environment ?? "hosts", runID: run.runID, hosts: names))
        let resolver = try SSHHostResolver(options: ssh)
        resolver.warnAboutHostKeyPolicies(for: names)
        let targets = resolver.targets(for: names)
        let printer = SSHOutputPrinter(streaming: isatty(1) == 1, raw: raw, hosts: names)
        let shell = fleet?.0.shell
        let limit: Duration? = timeout.map { .milliseconds(Int64($0 * 1000)) }
        let outcomes = await SSHFanOut(limit: ssh.parallel, throttle: ssh.handshakeThrottle()).run(targets) { connection in
            let host = connection.target.name
            return try await connection.exec(
                shell?.wrap(commands[host] ?? commandLine) ?? commands[host] ?? commandLine,
                timeout: limit,
                captureOutput: false,
                onOutput: { printer.receive($0, from: host) }
            )
        }
        var failed: [String] = []
        var unreachable: [String] = []
        for (name, outcome) in zip(names, outcomes) {
            switch outcome {
            case .success(let result):
                printer.finish(name, status: result.statusDescription)
                if !result.succeeded { failed.append("\(name): \(result.statusDescription)") }
            case .failure(let error):
                let sshError = error as? SSHError
                printer.finish(name, status: sshError?.kind.rawValue ?? "error")
                printer.note("\(name) | error: \(sshError?.description ?? "\(error)")")
                if sshError?.isUnreachable == true { unreachable.append(name) } else { failed.append("\(name): \(sshError?.kind.rawValue ?? "error")") }
            }
        }
        let ok = names.count - failed.count - unreachable.count
        var summary = "\(names.count) host\(names.count == 1 ? "" : "s"): \(ok) ok, \(failed.count) failed"
        if !failed.isEmpty { summary += " (\(failed.joined(separator: ", ")))" }
        summary += ", \(unreachable.count) unreachable"
        if !unreachable.isEmpty { summary += " (\(unreachable.joined(separator: ", ")))" }
        printer.note(summary)
        let result: RunSummary.Result = !unreachable.isEmpty ? .unreachable : failed.isEmpty ? .succeeded : .failed
        run.report(.summary(RunSummary(action: .run, result: result, release: nil, message: commandLine + ": " + summary,
                                       hosts: [], seconds: 0)))
        throw result.exitCode
    }

    /// The hosts named by --hosts, or the environment's (with --role, only that role's), in inventory order;
    /// with an environment, also the environment (its shell runs the command) and those hosts, to fill its `{{ }}` values.
    private func hostNames() throws -> ([String], (ResolvedEnvironment, [DeployerModel.Host])?) {
        if let hosts { return (try SSHHostResolver.parseList(hosts), nil) }
        let (loaded, loader) = try recipe.load()
        let resolved = try RecipeDiscovery.resolve(loaded, environment: environment ?? "", loader: loader)
        guard let role else { return (resolved.hosts.map(\.name), (resolved, resolved.hosts)) }
        let selected = resolved.hosts(withRole: role)
        guard !selected.isEmpty else {
            let roles = Set(resolved.hosts.flatMap(\.roles)).sorted().joined(separator: ", ")
            throw ValidationError("environment '\(resolved.name)' has no host with role '\(role)'; its roles: \(roles)")
        }
        return (selected.map(\.name), (resolved, selected))
    }

    /// `command` with its `{{ name }}` values filled for each host, shell-quoted as in tasks: the
    /// environment's vars and `app`, `env`, `host`, `role`, `deploy_to`, `shared`, `current` (no
    /// release is being made: no `release` or `revision`). An unknown name is a usage error (exit 2).
    static func filled(_ command: String, for fleet: (environment: ResolvedEnvironment, hosts: [DeployerModel.Host]))
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
                throw ValidationError("the command uses '{{ \(error.name) }}', which is neither a var of environment "
                    + "'\(fleet.environment.name)' nor one of app, env, host, role, deploy_to, shared, current")
            }
        }
        return commands
    }
}
