import DeployerModel
import DeployerPlanning
import Foundation
import SSH

/// Examines one host for `deployer doctor`, read-only: how ssh_config resolves it (and where
/// `ssh -G` differs), the connection, its host key, the key it accepts, then in one command
/// `deploy_to`, free space, the programs the recipe needs, and its clock.
///
/// Nothing is written, on the host or on the controller: a host key unknown under
/// `accept-new` is reported, not recorded.
struct HostExaminer: Sendable {
    var environment: ResolvedEnvironment
    var config: SSHConfig
    var configPath: String
    /// `--host-key-policy`, overriding ssh_config's.
    var policy: HostKeyPolicy?
    var processEnvironment: [String: String]
    /// Connections being set up at once (`--max-startups`); a host's connect time counts from its turn.
    var throttle: HandshakeThrottle

    func examine(_ host: FleetHost) async -> [DoctorCheck] {
        let name = host.name
        var target = SSHTarget.resolve(name, config: config, policy: policy, environment: processEnvironment)
        var checks = [await sshConfigCheck(host, target)]
        let configured = target.hostKeyPolicy
        target.hostKeyPolicy = configured == .acceptNew ? .strict : configured
        for index in target.jumpHosts.indices where target.jumpHosts[index].hostKeyPolicy == .acceptNew {
            target.jumpHosts[index].hostKeyPolicy = .strict
        }
        let connection: SSHConnection
        let milliseconds: Int
        do {
            (connection, milliseconds) = try await throttle.admit { [target] in
                let started = Date()
                let connection = try await SSHConnection.connect(to: target)
                return (connection, Int(Date().timeIntervalSince(started) * 1000))
            }
        } catch let error as SSHError {
            return checks + connectionFailure(error, host: name, configured: configured, target: target)
        } catch {
            return checks + [DoctorCheck(subject: name, name: "connect", result: .problem, detail: "\(error)", unreachable: true)]
        }
        let options = target.options
        let via = target.jumpHosts.isEmpty ? "" : " through " + target.jumpHosts.map(\.name).joined(separator: ", ")
        checks.append(.ok(name, "connect", "\(options.user)@\(options.hostName):\(options.port)\(via) in \(milliseconds) ms"))
        checks.append(hostKeyCheck(connection, host: name, configured: configured))
        checks.append(.ok(name, "identity", "accepted: \(connection.acceptedIdentity ?? "unknown"); offered: \(offered(target))"))
        checks += await setupChecks(connection, host: host)
        await connection.close()
        return checks
    }

    /// The ssh_config line: where the host resolves to, and what `ssh -G` says where it differs.
    func sshConfigCheck(_ host: FleetHost, _ target: SSHTarget) async -> DoctorCheck {
        let options = target.options
        let ours = OpenSSHResolution(hostName: options.hostName, user: options.user, port: options.port,
                                     proxyJump: options.proxyJump.isEmpty ? "none" : options.proxyJump.joined(separator: ","))
        let resolved = "\(host.name) resolves to \(ours.user)@\(ours.hostName):\(ours.port)"
            + (ours.proxyJump == "none" ? "" : " via ProxyJump \(ours.proxyJump)")
            + (options.proxyCommand.map { " via ProxyCommand \($0)" } ?? "")
        guard let openSSH = await OpenSSHResolution.read(host.address, configPath: configPath, environment: processEnvironment) else {
            return .ok(host.name, "ssh_config", resolved + " (not compared: ssh -G is not available)")
        }
        let differences = openSSH.differences(from: ours)
        guard differences.isEmpty else {
            return .warning(host.name, "ssh_config", resolved + "; ssh -G differs: " + differences.joined(separator: "; "),
                            fix: "deployer reads \(configPath); make the settings ssh reads agree with it (ssh -G -F \(configPath) \(host.address.host) shows them)")
        }
        return .ok(host.name, "ssh_config", resolved + "; ssh -G agrees")
    }

    /// What the agent and IdentityFile offer this host.
    func offered(_ target: SSHTarget) -> String {
        let files = target.options.identityFiles.map(IdentityFile.init(path:)).filter(\.exists)
            .map { "\($0.path) (\($0.keyType ?? "unknown type"))" }
        var offers = target.agentSocket.map { ["ssh-agent at \($0)"] } ?? []
        offers += files.isEmpty ? ["no identity file"] : files
        return offers.joined(separator: ", ") + (target.options.identitiesOnly ? " (IdentitiesOnly yes)" : "")
    }

    func hostKeyCheck(_ connection: SSHConnection, host: String, configured: HostKeyPolicy) -> DoctorCheck {
        let key = connection.hostKey ?? "unknown key"
        if configured == .off {
            return .warning(host, "host_key", "\(key): not checked (host key policy off)",
                            fix: "use --host-key-policy strict and record the key in known_hosts")
        }
        let files = connection.target.options.userKnownHostsFiles + connection.target.options.globalKnownHostsFiles
        return .ok(host, "host_key", "\(key) matches known_hosts (\(files.filter { FileManager.default.fileExists(atPath: $0) }.joined(separator: ", ")))")
    }

    /// The lines for a connection that failed: which step failed, why, and the fix.
    func connectionFailure(_ error: SSHError, host: String, configured: HostKeyPolicy, target: SSHTarget) -> [DoctorCheck] {
        var check = DoctorCheck(subject: host, name: "connect", result: .problem, detail: error.message, fix: error.fix, unreachable: true)
        switch error.kind {
        case .hostKeyUnknown where configured == .acceptNew:
            check.name = "host_key"
            check.result = .warning
            check.unreachable = false
            check.detail += " (accept-new would record it on the next push; the remaining checks need it known)"
            check.fix = "compare the fingerprint with the host's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on it), then connect once"
        case .hostKeyUnknown, .hostKeyChanged:
            check.name = "host_key"
        case .authFailed:
            let certificates = target.options.identityFiles.map { $0 + "-cert.pub" }.filter { FileManager.default.fileExists(atPath: $0) }
            if !certificates.isEmpty {
                check.fix = (check.fix ?? "") + "; certificates (\(certificates.joined(separator: ", "))) are not offered: deployer authenticates with the plain key"
            }
            return [.ok(host, "host_key", "matches known_hosts"), DoctorCheck(
                subject: host, name: "identity", result: .problem, detail: error.message, fix: check.fix, unreachable: true)]
        default:
            break
        }
        return [check]
    }

    /// `deploy_to`, `disk`, `tools` and `clock`, from one read-only command run as the recipe's
    /// commands run (its `shell:`, so PATH is theirs).
    func setupChecks(_ connection: SSHConnection, host address: FleetHost) async -> [DoctorCheck] {
        let host = address.name
        let programs = environment.programs(on: address)
        let script = HostSetupFacts.script(deployTo: environment.deployTo, programs: programs)
        let before = Date().timeIntervalSince1970
        do {
            let result = try await connection.exec(environment.shell.wrap(script), timeout: .seconds(30))
            let after = Date().timeIntervalSince1970
            guard result.succeeded else {
                return [.problem(host, "shell", "the recipe's shell could not run a read-only command (\(result.statusDescription)): \(result.stderrText)",
                                 fix: "check the recipe's shell: setting and the user's login shell on the host")]
            }
            let facts = HostSetupFacts(output: result.stdoutText)
            return facts.checks(host: host, deployTo: environment.deployTo, programs: programs,
                                shell: environment.shell.wrap("…"), controllerNow: (before + after) / 2)
        } catch {
            return [.problem(host, "shell", "a read-only command failed: \(error)", fix: nil)]
        }
    }
}
