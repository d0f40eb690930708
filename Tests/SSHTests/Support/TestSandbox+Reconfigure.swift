import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TestSandbox {
    /// Adds `lines` to the sshd_config of host `alias` and has its sshd re-read it (SIGHUP: sshd
    /// re-executes itself, in the same mount namespace); returns once it listens again.
    func reconfigure(_ alias: String, adding lines: [String]) async throws {
        let hostDirectory = directory + "/hosts/" + alias
        let configPath = hostDirectory + "/sshd_config"
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        try (config + lines.joined(separator: "\n") + "\n").write(toFile: configPath, atomically: true, encoding: .utf8)
        let logPath = hostDirectory + "/sshd.log"
        func listening() -> Int {
            ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").components(separatedBy: "Server listening").count
        }
        let before = listening()
        let pidText = try String(contentsOfFile: hostDirectory + "/sshd.pid", encoding: .utf8)
        guard let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, SIGHUP) == 0 else {
            throw TestSandboxError(command: "kill -HUP sshd of \(alias)", output: pidText)
        }
        for _ in 0..<200 where listening() == before {
            try await Task.sleep(for: .milliseconds(25))
        }
        guard listening() > before else {
            throw TestSandboxError(command: "sshd of \(alias) re-reading its config", output: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
        }
    }
}
