import ArgumentParser
import DeployerExecution
import DeployerLoading
import DeployerModel
import DeployerReporting
import Foundation
import SSH

/// `deployer doctor [ENV]`: read-only checks of the controller and of every host of an
/// environment, one line per check with what is wrong and how to fix it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the controller and every host of an environment, read-only; say what is wrong and how to fix it.",
        discussion: """
            One line per check: the recipe, ssh_config and the ssh-agent on the controller; then for each host of ENV: \
            ssh_config (and where ssh -G differs), the connection, the host key, the key the host accepts, deploy_to \
            (exists or can be made, owner, not group- or world-writable), free disk space, the programs the recipe's \
            commands need, and clock skew. Nothing is written anywhere. Exit 0 when no check found a problem (warnings \
            allowed), 1 when one did, 2 when the recipe does not load, 4 when a host cannot be reached or logged into.
            """)

    @Argument(help: "The environment whose hosts to check (without it: the controller only).", completion: .environments)
    var environment: String?

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var ssh: SSHOptions

    @Option(help: ArgumentHelp("Output: auto, terminal or plain (one line per check), or json (doctor_check objects, then a doctor_summary; docs/json-events.md).",
                               valueName: "format"))
    var format: ReportFormat = .auto

    func run() async throws {
        let processEnvironment = ProcessInfo.processInfo.environment
        var checks: [DoctorCheck] = []
        let resolved: ResolvedEnvironment?
        do {
            let (loaded, loader) = try recipe.load()
            resolved = try environment.map { try RecipeDiscovery.resolve(loaded, environment: $0, loader: loader) }
            let scope = resolved.map { "; \($0.name): \($0.hosts.count) host\($0.hosts.count == 1 ? "" : "s")" }
                ?? " (environments: \(loaded.environmentNames.joined(separator: ", ")); name one to check its hosts)"
            checks.append(.ok(DoctorCheck.controller, "recipe", "\(loaded.file) loads: app \(loaded.app)" + scope))
        } catch {
            checks.append(.problem(DoctorCheck.controller, "recipe", "the recipe does not load (the errors are above)",
                                   fix: "correct the recipe; deployer check prints the same errors"))
            finish(DoctorReport(checks: checks))
            throw ExitCode.usageOrRecipe
        }
        let controller = ControllerExaminer(processEnvironment: processEnvironment)
        let configPath = ssh.configPath(environment: processEnvironment)
        let systemPath = ssh.chosenConfigPath(environment: processEnvironment) == nil ? SSHConfig.systemPath : nil
        let (configCheck, config) = controller.sshConfig(path: configPath, systemPath: systemPath) { () throws(SSHConfigError) in
            try ssh.loadConfig(environment: processEnvironment)
        }
        checks.append(configCheck)
        checks.append(await controller.agent())
        if let resolved, config != nil, (ssh.sshTransport ?? resolved.sshTransport) == .openssh {
            checks += await examineThroughOpenSSH(resolved.hosts)
        } else if let resolved, let config {
            let examiner = HostExaminer(environment: resolved, config: config, configPath: configPath,
                                        policy: ssh.hostKeyPolicy, processEnvironment: processEnvironment,
                                        throttle: ssh.handshakeThrottle())
            checks += await examine(resolved.hosts, with: examiner)
        }
        let report = DoctorReport(checks: checks)
        finish(report)
        if config == nil { throw ExitCode.usageOrRecipe }
        if report.exitCode != .success { throw report.exitCode }
    }

    /// Every host's checks, `--parallel` hosts at a time, in the environment's host order.
    func examine(_ hosts: [FleetHost], with examiner: HostExaminer) async -> [DoctorCheck] {
        await concurrently(hosts, atMost: ssh.parallel) { await examiner.examine($0) }.flatMap { $0 }
    }

    /// With the OpenSSH transport, the checks of the libssh2 client do not apply: each host is
    /// reached as a run would reach it (a master connection, then `true` through it).
    func examineThroughOpenSSH(_ hosts: [FleetHost]) async -> [DoctorCheck] {
        let connector: any Connector
        do {
            connector = try SSHHostResolver(options: ssh).connector(recipeChoice: .openssh, throttle: ssh.handshakeThrottle())
        } catch {
            return [.problem(DoctorCheck.controller, "ssh", "\(error)", fix: "install openssh-client, or use --ssh-transport libssh2")]
        }
        return await concurrently(hosts, atMost: ssh.parallel) { host -> DoctorCheck in
            do {
                let transport = try await connector.connect(to: host)
                let result = try? await transport.run("true", stdin: nil, timeout: 30, onOutput: nil)
                await transport.close()
                guard result?.succeeded == true else {
                    return .problem(host.name, "ssh", "connected through OpenSSH's ssh, but `true` did not succeed there",
                                    fix: "try ssh \(host.name) true")
                }
                return .ok(host.name, "ssh", "reached through OpenSSH's ssh (the OpenSSH transport: ssh_config applies as for ssh)")
            } catch {
                return .problem(host.name, "ssh", (error as? TransportError)?.message ?? "\(error)",
                                fix: "try ssh -v \(host.name) true, with the same ssh_config")
            }
        }
    }

    /// Prints the report in the chosen format.
    func finish(_ report: DoctorReport) {
        print(format == .json ? report.jsonLines : report.text)
    }
}
