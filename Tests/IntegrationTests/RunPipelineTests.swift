import Foundation
import Testing

/// `deployer run` is shown and recorded as every run is (issue 16): events with `--format json`,
/// ending with a `summary` whatever the exit code, one audit log per run named by its run id, and the
/// recipe's secrets masked in what the hosts print. Before, run printed only the hosts' bytes: no JSON,
/// no audit log, secrets shown as the host printed them.
@Suite(.tags(.sandbox)) struct RunPipelineTests {
    static let secret = "run-s3cr3t-\(UUID().uuidString.prefix(8))"

    @Test func jsonEventsAnAuditLogAndMaskedSecrets() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            _ = try await app.useSecretFromFile(Self.secret, hosts: sandbox.hosts, task: "true")
            try await sandbox.exec("host1", "echo token=\(Self.secret) >/srv/leak")
            let home = app.path + "/home"
            let logs = home + "/.local/state/deployer/logs"
            let run = try await sandbox.deployer(["run", "staging", "--format", "json", "--", "cat /srv/leak 2>/dev/null; echo done"],
                                                 in: app.path, environment: ["HOME": home, "XDG_STATE_HOME": nil])
            JSONExitCodeTests.expectEndsWithSummary(run, code: 0, "run")
            #expect(!run.output.contains(Self.secret), "\(run.output)")
            let (lines, outcomes, runID) = Self.commandEvents(run)
            #expect(lines.contains("host1 stdout token=****"), "\(run.output)")
            #expect(lines.filter { $0.hasSuffix("stdout done") }.count == 2, "\(run.output)")
            #expect(outcomes == ["succeeded", "succeeded"], "\(run.output)")

            let files = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.contains(runID) }
            #expect(files.count == 1 && files[0].contains("-staging-run-"), "\(files)")
            let log = try String(contentsOfFile: logs + "/" + files[0], encoding: .utf8)
            #expect(log.contains(#""type":"command_output""#) && log.contains("token=****"), "\(log)")
            #expect(!log.contains(Self.secret), "\(log)")

            let failed = try await sandbox.deployer(["run", "staging", "--format", "json", "--", "exit 3"],
                                                    in: app.path, environment: ["HOME": home, "XDG_STATE_HOME": nil])
            JSONExitCodeTests.expectEndsWithSummary(failed, code: 1, "exit 3")
            let message = Self.lastMessage(failed)
            #expect(message.contains("2 hosts: 0 ok, 2 failed (host1: exit 3, host2: exit 3)"), "\(failed.output)")
        }
    }

    /// The run's `command_output` events as `host stream line`, the outcomes of its `command` steps, and its run id.
    static func commandEvents(_ run: DeployerRun) -> (lines: [String], outcomes: [String], runID: String) {
        let events = JSONExitCodeTests.events(run)
        let lines = events.filter { $0["type"] as? String == "command_output" }
            .map { "\($0["host"] ?? "") \($0["stream"] ?? "") \($0["line"] ?? "")" }
        let outcomes = events.filter { $0["type"] as? String == "step_finished" && $0["step"] as? String == "command" }
            .map { $0["outcome"] as? String ?? "" }
        return (lines, outcomes, events.first?["run_id"] as? String ?? "no run id")
    }

    /// The `message` of the run's last event (its summary).
    static func lastMessage(_ run: DeployerRun) -> String {
        JSONExitCodeTests.events(run).last?["message"] as? String ?? ""
    }

    /// `--hosts` narrows an environment as it does for push; `-q` shows only the hosts that failed.
    @Test func aLimitAndQuiet() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let limited = try await sandbox.deployer(["run", "staging", "--hosts", "host2", "--", "touch /srv/ran"], in: app.path)
            #expect(limited.status == 0, "\(limited.output)")
            #expect(limited.output.contains("1 host: 1 ok, 0 failed, 0 unreachable"), "\(limited.output)")
            #expect(limited.output.contains("limited to"), "\(limited.output)")
            #expect(try await sandbox.exists("host2", "/srv/ran"))
            #expect(try await sandbox.exists("host1", "/srv/ran") == false)
            #expect(try await sandbox.exists("host3", "/srv/ran") == false)

            let quiet = try await sandbox.deployer(["run", "staging", "-q", "--", "hostname; test ! -e /srv/ran"], in: app.path)
            #expect(quiet.status == 1, "\(quiet.output)")
            #expect(quiet.output.contains("== host2 (exit 1)"), "\(quiet.output)")
            #expect(!quiet.output.contains("== host1") && !quiet.output.contains("== host3"), "\(quiet.output)")
        }
    }
}
