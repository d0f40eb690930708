import Foundation
import DeployerExecution
import SSH

/// Real sshd hosts for a test, from `Scripts/sandbox` in a fresh temporary directory.
///
/// Use `TestSandbox.with(hosts:)`: it stops the hosts and removes the directory even when the
/// test fails.
struct TestSandbox: Sendable {
    /// The sandbox directory (ssh_config, known_hosts, client keys, hosts.txt).
    let directory: String
    /// Host aliases and their ports, in order (`host1`, `host2`, …).
    let hosts: [(alias: String, port: Int)]

    /// The repository root, found from this file's path.
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    var sshConfigPath: String { directory + "/ssh_config" }
    var knownHostsPath: String { directory + "/known_hosts" }
    var authorizedKeysPath: String { directory + "/authorized_keys" }
    var ed25519Key: String { directory + "/client/id_ed25519" }
    var ecdsaKey: String { directory + "/client/id_ecdsa" }

    /// An environment for targets that ignores the developer's own agent and keys.
    var environment: [String: String] { ["HOME": directory, "USER": "deployer-test"] }

    /// Starts `count` hosts, runs `body`, and always stops them.
    static func with<T>(hosts count: Int, _ body: (TestSandbox) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "deployer-ssh-\(UUID().uuidString.prefix(8))"
        defer {
            _ = try? run(["down", "--dir", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        try run(["up", String(count), "--dir", directory])
        let listing = try String(contentsOfFile: directory + "/hosts.txt", encoding: .utf8)
        let hosts = listing.split(separator: "\n").map { line -> (String, Int) in
            let fields = line.split(separator: " ")
            return (String(fields[0]), Int(fields[1])!)
        }
        return try await body(TestSandbox(directory: directory, hosts: hosts))
    }

    /// The sandbox's own ssh_config.
    func config() throws -> SSHConfig { try SSHConfig.load(path: sshConfigPath) }

    /// A target for `alias` under the sandbox's ssh_config.
    func target(_ alias: String, policy: HostKeyPolicy? = nil, environment extra: [String: String] = [:]) throws -> SSHTarget {
        SSHTarget.resolve(alias, config: try config(), policy: policy, environment: environment.merging(extra) { $1 })
    }

    /// A target for a sandbox address with options written by the test (identity, known_hosts, …).
    func target(port: Int, hostName: String = "127.0.0.1", options: [String], policy: HostKeyPolicy? = nil, environment extra: [String: String] = [:]) throws -> SSHTarget {
        let text = (["Host h", "  HostName \(hostName)", "  Port \(port)", "  User deploy"] + options.map { "  " + $0 }).joined(separator: "\n")
        let config = try SSHConfig(text: text, path: directory + "/test_config")
        return SSHTarget.resolve("h", config: config, policy: policy, environment: environment.merging(extra) { $1 })
    }

    /// Runs `Scripts/sandbox ARGS`; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        try shell([repositoryRoot + "/Scripts/sandbox"] + arguments)
    }

    /// Runs a program with no input and returns its exit status and standard output (stderr discarded).
    static func capture(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let child = try ChildProcess(executable, arguments, stderr: .null)
        let data = child.standardOutput!.readToEndRetryingInterrupts()
        return (child.waitForExit().status, String(decoding: data, as: UTF8.self))
    }

    /// Runs a program and returns its output; throws when it exits non-zero.
    @discardableResult
    static func shell(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let child = try ChildProcess(arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env",
                                     arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments,
                                     environment: environment.map { ProcessInfo.processInfo.environment.merging($0) { $1 } },
                                     stderr: .standardOutput)
        let output = String(decoding: child.standardOutput!.readToEndRetryingInterrupts(), as: UTF8.self)
        guard child.waitForExit().succeeded else {
            throw TestSandboxError(command: arguments.joined(separator: " "), output: output)
        }
        return output
    }
}
