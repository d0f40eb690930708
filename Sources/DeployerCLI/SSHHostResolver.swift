import ArgumentParser
import Foundation
import SSH

/// Turns host names from the command line (or, later, an environment's roles) into SSH targets.
struct SSHHostResolver {
    /// The parsed ssh_config.
    let config: SSHConfig
    /// The policy from `--host-key-policy`, overriding ssh_config.
    let policy: HostKeyPolicy?
    /// The process environment (agent socket, passphrase, home).
    let environment: [String: String]

    /// Loads the ssh_config the options name; a syntax error is a usage error (exit 2).
    init(options: SSHOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let path = options.configPath(environment: environment)
        do {
            config = try SSHConfig.load(path: path)
        } catch {
            throw ValidationError("\(error)")
        }
        policy = options.hostKeyPolicy
        self.environment = environment
    }

    /// Splits `a,b,c` into host names, refusing empty names and duplicates.
    static func parseList(_ text: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = names.firstIndex(of: "") { throw ValidationError("--hosts: empty host name at position \(empty + 1)") }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { throw ValidationError("--hosts: '\(name)' is listed twice") }
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
            target.trace = { line in FileHandle.standardError.write(Data(("trace " + line + "\n").utf8)) }
        }
        return target
    }
}
