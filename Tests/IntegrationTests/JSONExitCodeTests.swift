import Foundation
import Testing

/// Every documented exit code with `--format json`: the run starts with `run_started` and its
/// last event is a `summary` carrying that exit code (README, "Exit codes"; docs/json-events.md),
/// and each run, failed ones included, writes its own audit log under `HOME`.
@Suite(.tags(.sandbox)) struct JSONExitCodeTests {
    /// The JSON objects a run printed (standard error's lines, merged in, are not JSON).
    static func events(_ run: DeployerRun) -> [[String: Any]] {
        run.output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static func expectEndsWithSummary(_ run: DeployerRun, code: Int32, _ what: String) {
        #expect(run.status == code, "\(what): \(run.output)")
        let events = Self.events(run).filter { $0["time"] != nil }
        #expect(events.first?["type"] as? String == "run_started", "\(what): \(run.output)")
        #expect(events.last?["type"] as? String == "summary", "\(what): \(run.output)")
        #expect(events.last?["exit_code"] as? Int == Int(code), "\(what): \(run.output)")
    }

    @Test func everyExitCodeEndsWithASummaryCarryingIt() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  gate:
                    phase: prepare
                    run: test ! -e {{shared}}/fail
                """)
            defer { app.remove() }
            let home = app.path + "/home"
            let logs = home + "/.local/state/deployer/logs"
            func deployer(_ arguments: [String]) async throws -> DeployerRun {
                try await sandbox.deployer(arguments, in: app.path, environment: ["HOME": home, "XDG_STATE_HOME": nil])
            }

            Self.expectEndsWithSummary(try await deployer(["push", "staging", "--format", "json"]), code: 0, "pushed")

            try await sandbox.exec("host1", "touch /srv/app/shared/fail")
            try await app.newRevision("2")
            Self.expectEndsWithSummary(try await deployer(["push", "staging", "--format", "json"]), code: 1, "task failed")
            try await sandbox.exec("host1", "rm /srv/app/shared/fail")

            let unknown = try await deployer(["push", "nosuch", "--format", "json"])
            Self.expectEndsWithSummary(unknown, code: 2, "unknown environment")
            let diagnostic = Self.events(unknown).first { $0["type"] as? String == "diagnostic" }
            #expect((diagnostic?["message"] as? String)?.contains("nosuch") == true, "\(unknown.output)")
            Self.expectEndsWithSummary(try await deployer(["rollback", "staging", "--to", "bad", "--format", "json"]),
                                       code: 2, "bad option value")

            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && date +%s >/srv/app/.deployer/lock/heartbeat")
            Self.expectEndsWithSummary(try await deployer(["push", "staging", "--format", "json"]), code: 3, "lock held")
            try await sandbox.exec("host2", "rm -rf /srv/app/.deployer/lock")

            let planFile = app.path + "/plan.json"
            #expect(try await deployer(["plan", "staging", "--out", planFile]).status == 0)
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("3")
            #expect(try await deployer(["push", "staging"]).status == 0)
            let stale = try await deployer(["push", "staging", "--plan", planFile, "--format", "json"])
            Self.expectEndsWithSummary(stale, code: 5, "stale plan")
            let logNotes = stale.output.split(separator: "\n").filter { $0.hasPrefix("log: ") }
            #expect(logNotes.count == 1 && logNotes[0].hasPrefix("log: " + logs + "/"), "\(stale.output)")

            try await sandbox.killSSHD("host2")
            for verb in ["status", "releases"] {
                Self.expectEndsWithSummary(try await deployer([verb, "staging", "--format", "json"]), code: 4, verb)
            }

            // One audit log per run, under HOME: 10 runs (plan and failed ones included), 10 files.
            let files = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasSuffix(".jsonl") }
            #expect(files.count == 10, "\(files.sorted())")
            #expect(files.contains { $0.contains("-staging-plan-") } && files.contains { $0.contains("-nosuch-push-") })
        }
    }
}
