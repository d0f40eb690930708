import DeployerExecution
import Foundation

/// Real sshd hosts from `Scripts/sandbox`, in a temporary directory of their
/// own, always taken down after the test body (even when it throws).
struct Sandbox: Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let directory: String
    let hosts: [String]

    var sshConfig: String { directory + "/ssh_config" }

    /// Starts `count` hosts, each with `sshdOptions` added to its sshd_config, runs `body`, and takes the hosts down.
    static func with<T>(hosts count: Int, sshdOptions: [String] = [], _ body: (Sandbox) async throws -> T) async throws -> T {
        await SandboxGate.shared.acquire()
        let directory = NSTemporaryDirectory() + "deployer-sandbox-" + UUID().uuidString
        let sandbox = Sandbox(directory: directory, hosts: (1...count).map { "host\($0)" })
        defer {
            _ = try? ChildProcess(repository + "/Scripts/sandbox", ["down", "--dir", directory], stdout: .inherit,
                                  stderr: .inherit).waitForExit()
            try? FileManager.default.removeItem(atPath: directory)
            Task { await SandboxGate.shared.release() }
        }
        let up = try await ProcessRunner.run(repository + "/Scripts/sandbox", ["up", String(count), "--dir", directory]
                                                     + sshdOptions.flatMap { ["--sshd-option", $0] })
        guard up.status == 0 else {
            throw SandboxError("sandbox up failed: " + String(decoding: up.stderr, as: UTF8.self))
        }
        return try await body(sandbox)
    }

    /// Runs `command` with `sh -c` as root inside `host`'s filesystem view; its standard output.
    @discardableResult
    func exec(_ host: String, _ command: String) async throws -> String {
        let output = try await ProcessRunner.run(Sandbox.repository + "/Scripts/sandbox",
                                                 ["exec", host, "--dir", directory, "--", "sh", "-c", command])
        return String(decoding: output.stdout, as: UTF8.self)
    }

    /// The release `current` points at on `host`, nil when there is none.
    func current(_ host: String, deployTo: String = "/srv/app") async throws -> String? {
        let link = try await exec(host, "readlink \(deployTo)/current || true")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return link.isEmpty ? nil : (link as NSString).lastPathComponent
    }

    func exists(_ host: String, _ path: String) async throws -> Bool {
        try await exec(host, "test -e \(path) && echo yes || true").contains("yes")
    }

    /// Kills `host`'s sshd and every process below it (its sessions and their commands), by process id.
    func killSSHD(_ host: String) async throws {
        let pidFile = directory + "/hosts/" + host + "/sshd.pid"
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let script = """
            tree() { for child in $(ps -o pid= --ppid "$1"); do tree "$child"; done; echo "$1"; }
            kill -STOP \(pid); kill -KILL $(tree \(pid)) 2>/dev/null; true
            """
        _ = try await ProcessRunner.run("/bin/sh", ["-c", script])
    }

    /// Runs the `deployer` built beside this test bundle, in `directory`, against this sandbox.
    func deployer(_ arguments: [String], in directory: String, cacheHome: String? = nil,
                  environment overrides: [String: String?] = [:]) async throws -> DeployerRun {
        let process = try DeployerProcess(arguments, in: directory, sshConfig: sshConfig, cacheHome: cacheHome,
                                          overrides: overrides)
        return await process.wait()
    }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
