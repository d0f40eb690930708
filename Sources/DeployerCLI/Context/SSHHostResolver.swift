import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation
import DeployerReporting
import SSH

/// Turns host names from the command line (or, later, an environment's roles) into SSH targets.
struct SSHHostResolver {
    /// The parsed ssh_config.
    let config: SSHConfig
    /// The policy from `--host-key-policy`, overriding ssh_config.
    let policy: HostKeyPolicy?
    /// The process environment (agent socket, passphrase, home).
    let environment: [String: String]
    /// `--ssh-transport`, overriding the recipe's choice.
    let transport: SSHTransportKind?
    /// The ssh_config the user named (`-F`, `DEPLOYER_SSH_CONFIG`); nil: the default.
    let chosenConfigPath: String?

    /// Loads the ssh_config the options name; a syntax error is a usage error (exit 2). What it
    /// cannot evaluate and leaves out (a `Match exec` block) is printed as a warning on standard
    /// error naming the line, on every run, so a setting the user wrote is never dropped unseen.
    init(options: SSHOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            config = try options.loadConfig(environment: environment)
        } catch {
            throw ValidationError("\(error)")
        }
        for warning in config.warnings {
            FileHandle.standardError.writeUnlessClosed("warning: ssh_config: \(warning)\n")
        }
        policy = options.hostKeyPolicy
        self.environment = environment
        transport = options.sshTransport
        chosenConfigPath = options.chosenConfigPath(environment: environment)
    }

    /// What connects the hosts: `--ssh-transport`, else `recipeChoice` (the environment's
    /// `ssh: { transport: }`), else libssh2. OpenSSH's `ssh` must be on PATH (a usage error otherwise).
    /// `throttle` (`--max-startups`) is shared by every connection the connector starts, with either transport.
    func connector(recipeChoice: SSHTransportKind?, throttle: HandshakeThrottle) throws -> any Connector {
        switch transport ?? recipeChoice ?? .libssh2 {
        case .libssh2:
            return SSHConnector(throttle: throttle) { host in target(for: host.name) }
        case .openssh:
            guard let ssh = OpenSSHResolution.executable(named: "ssh", path: environment["PATH"] ?? "/usr/bin:/bin") else {
                let origin = transport == nil ? "the recipe's ssh: { transport: openssh }" : "--ssh-transport openssh"
                throw ValidationError("\(origin) runs OpenSSH's ssh, and there is none on PATH; install openssh-client, "
                    + "or use --ssh-transport libssh2")
            }
            if let passphrase = environment["DEPLOYER_SSH_PASSPHRASE"], !passphrase.isEmpty {
                let origin = transport == nil ? "the recipe's ssh: { transport: openssh }" : "--ssh-transport openssh"
                throw ValidationError("DEPLOYER_SSH_PASSPHRASE is set, but \(origin) cannot use it: ssh runs with BatchMode=yes and never asks "
                    + "for a passphrase (deployer hands it to no prompt program); add the key to ssh-agent (ssh-add KEY) and unset "
                    + "DEPLOYER_SSH_PASSPHRASE, or use --ssh-transport libssh2, which reads it")
            }
            return OpenSSHConnector(ssh: ssh, configFile: chosenConfigPath, environment: environment, throttle: throttle) { host in
                target(for: host.name)
            }
        }
    }

    /// Splits `a,b,c` into host names, refusing empty names and duplicates.
    static func parseList(_ text: String, option: String = "--hosts") throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = names.firstIndex(of: "") { throw ValidationError("\(option): empty name at position \(empty + 1)") }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { throw ValidationError("\(option): '\(name)' is listed twice") }
        return names
    }

    /// A target per host, in order.
    func targets(for hosts: [String]) -> [SSHTarget] {
        hosts.map(target(for:))
    }

    /// `host` resolved against ssh_config; with `DEPLOYER_TRACE_ROUNDTRIPS=1`, its session traces
    /// every network step to standard error (to count round trips; see Benchmarks/README.md).
    func target(for host: String) -> SSHTarget {
        var target = SSHTarget.resolve(host, config: config, policy: policy, environment: environment)
        if environment["DEPLOYER_TRACE_ROUNDTRIPS"] == "1" {
            target.trace = { line in FileHandle.standardError.writeUnlessClosed("trace " + line + "\n") }
        }
        return target
    }

    /// Prints a warning on standard error for each weakened host-key policy `hosts` are reached with, on
    /// every run, so that `accept-new` or `off` left in a CI job or an ssh_config cannot go unnoticed.
    func warnAboutHostKeyPolicies(for hosts: [String]) {
        let weakened = targets(for: hosts).filter { $0.hostKeyPolicy != .strict }
        let origin = policy.map { "--host-key-policy \($0.rawValue)" } ?? "StrictHostKeyChecking in ssh_config"
        for (kind, consequence) in [(HostKeyPolicy.off, "host keys are not checked: anyone on the network path can pose as these hosts"),
                                    (.acceptNew, "an unknown host key is trusted and recorded without a check")] {
            let names = weakened.filter { $0.hostKeyPolicy == kind }.map(\.name)
            guard !names.isEmpty else { continue }
            FileHandle.standardError.writeUnlessClosed("warning: host key policy \(kind.rawValue) (\(origin)) for "
                + names.joined(separator: ", ") + ": \(consequence)\n")
        }
    }
}
