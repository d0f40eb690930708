import DeployerExecution
import Foundation

extension TestSandbox {
    /// Runs `body` with a fresh ssh-agent listening in the sandbox directory, given the
    /// environment that points at it (`SSH_AUTH_SOCK`); the agent is stopped afterwards.
    func withSSHAgent(_ body: ([String: String]) async throws -> Void) async throws {
        let socket = directory + "/agent.sock"
        let agent = try ChildProcess("/usr/bin/ssh-agent", ["-D", "-a", socket], stdout: .null, stderr: .inherit)
        defer {
            // ssh-agent -D does not stop on SIGTERM here.
            agent.signal(SIGKILL)
            _ = agent.waitForExit()
        }
        while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(20)) }
        try await body(["SSH_AUTH_SOCK": socket])
    }

    /// Adds the private key at `key` to the agent of `environment`, then deletes the file, so
    /// that only the agent can sign (the `.pub` beside it still names the key).
    func giveOnlyToAgent(_ key: String, environment: [String: String]) throws {
        try TestSandbox.shell(["ssh-add", "-q", key], environment: environment)
        try FileManager.default.removeItem(atPath: key)
    }
}
