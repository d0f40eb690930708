import DeployerExecution
import Foundation
import Testing

/// `Scripts/sandbox` itself: `down` must stop every host it started, whatever
/// happened to them (tests kill sshd to simulate a dead host).
@Suite(.tags(.sandbox)) struct SandboxScriptTests {
    /// Regression: a host whose sshd was SIGKILLed stays a zombie where PID 1
    /// does not reap; `down` used to abort on it and leave later hosts running.
    @Test func downStopsEveryHostWhenOneSSHDWasKilled() async throws {
        await SandboxGate.shared.acquire()
        defer { Task { await SandboxGate.shared.release() } }
        let script = Sandbox.repository + "/Scripts/sandbox"
        let directory = NSTemporaryDirectory() + "deployer-sandbox-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let up = try await ProcessRunner.run(script, ["up", "3", "--dir", directory])
        #expect(up.status == 0)
        let pid = try String(contentsOfFile: directory + "/hosts/host2/sshd.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await ProcessRunner.run("/bin/kill", ["-KILL", pid])
        let down = try await ProcessRunner.run(script, ["down", "--dir", directory])
        #expect(down.status == 0, "\(String(decoding: down.stderr, as: UTF8.self))")
        let left = try await ProcessRunner.run("/usr/bin/pgrep", ["-f", directory + "/hosts/"])
        #expect(left.status == 1, "still running: \(String(decoding: left.stdout, as: UTF8.self))")
    }
}
