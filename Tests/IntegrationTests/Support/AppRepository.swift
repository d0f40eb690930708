import DeployerExecution
import Foundation

/// A small app in a fresh git repository with its `deploy.yml`, for pushes
/// against the sandbox.
struct AppRepository: Sendable {
    let path: String

    /// `tasks` is YAML for the recipe's `tasks:` section (indented by two spaces), if any;
    /// `sharedFiles` the recipe's `shared.files` (a push needs them on every host).
    init(hosts: [String], keepReleases: Int = 5, sharedFiles: [String] = [], tasks: String = "") async throws {
        path = NSTemporaryDirectory() + "deployer-app-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try write("deploy.yml", """
            app: demo
            source: { git: . }
            deploy_to: /srv/app
            keep_releases: \(keepReleases)
            shared: { dirs: [logs], files: [\(sharedFiles.joined(separator: ", "))] }
            envs:
              venv:
                key: [requirements.txt]
                build: "mkdir -p {{env_dir}} && cp requirements.txt {{env_dir}}/built-from.txt"
            environments:
              staging:
                hosts: { web: [\(hosts.joined(separator: ", "))] }
            tasks:
              restart:
                phase: after_switch
                run: touch {{shared}}/restarted
            \(tasks)
            """)
        try write("app.txt", "version 1\n")
        try write("requirements.txt", "flask==3.0\n")
        try await initialCommit("version 1")
    }

    /// Makes the directory a git repository and commits everything in it.
    /// deployer's artifact cache (`.cache/`, see `DeployerProcess`) is never committed.
    func initialCommit(_ message: String) async throws {
        try await git(["init", "-q"])
        try write(".git/info/exclude", ".cache/\n")
        try await git(["config", "user.email", "test@example.com"])
        try await git(["config", "user.name", "Test"])
        try await commit(message)
    }

    func write(_ file: String, _ text: String) throws {
        try text.write(toFile: path + "/" + file, atomically: true, encoding: .utf8)
    }

    func commit(_ message: String) async throws {
        try await git(["add", "-A"])
        try await git(["commit", "-q", "-m", message])
    }

    /// Writes `app.txt` with `version` and commits it.
    func newRevision(_ version: String) async throws {
        try write("app.txt", "version \(version)\n")
        try await commit("version \(version)")
    }

    func git(_ arguments: [String]) async throws {
        let output = try await ProcessRunner.run("/usr/bin/env", ["git", "-C", path] + arguments)
        guard output.status == 0 else {
            throw SandboxError("git \(arguments.joined(separator: " ")): " + String(decoding: output.stderr, as: UTF8.self))
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
