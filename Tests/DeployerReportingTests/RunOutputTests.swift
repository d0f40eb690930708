import DeployerExecution
import DeployerModel
import DeployerReporting
import Foundation
import Testing

/// The reporter stack a command gets: format choice, audit log, finish.
@Suite struct RunOutputTests {
    @Test func autoFormatFollowsTheTerminal() {
        #expect(ReportFormat.auto.resolved(outputIsTerminal: true, term: "xterm-256color") == .terminal)
        #expect(ReportFormat.auto.resolved(outputIsTerminal: true, term: nil) == .terminal)
        #expect(ReportFormat.auto.resolved(outputIsTerminal: true, term: "dumb") == .plain)
        #expect(ReportFormat.auto.resolved(outputIsTerminal: false, term: "xterm") == .plain)
        #expect(ReportFormat.json.resolved(outputIsTerminal: true, term: "xterm") == .json)
        #expect(ReportFormat.terminal.resolved(outputIsTerminal: false, term: nil) == .terminal)
    }

    /// One file per run (its run id in the name: two runs in one second no longer share one), under
    /// `XDG_STATE_HOME`, else `HOME`, the account's home only when `HOME` is unset.
    @Test func auditLogPlace() {
        let date = Date(timeIntervalSince1970: 1_795_923_900)
        #expect(AuditLog.fileName(at: date, environment: "prod", action: "push", runID: "mj3x1a-1k9z2q")
            == "20261129T034500Z-prod-push-mj3x1a-1k9z2q.jsonl")
        #expect(AuditLog.fileName(at: date, environment: "a/b", action: "rollback", runID: "r1")
            == "20261129T034500Z-a_b-rollback-r1.jsonl")
        #expect(AuditLog.fileName(at: date, environment: "prod", action: "push", runID: "r1")
            != AuditLog.fileName(at: date, environment: "prod", action: "push", runID: "r2"))
        #expect(AuditLog.defaultDirectory(environment: [:], passwdHome: "/home/ana") == "/home/ana/.local/state/deployer/logs")
        #expect(AuditLog.defaultDirectory(environment: ["HOME": "/tmp/ci-home"], passwdHome: "/home/ana")
            == "/tmp/ci-home/.local/state/deployer/logs")
        #expect(AuditLog.defaultDirectory(environment: ["XDG_STATE_HOME": "/var/state", "HOME": "/tmp/ci-home"],
                                          passwdHome: "/home/ana") == "/var/state/deployer/logs")
        #expect(AuditLog.defaultDirectory(environment: ["XDG_STATE_HOME": "relative"], passwdHome: "/home/ana")
            == "/home/ana/.local/state/deployer/logs")
    }

    @Test func everyEventGoesToTheAuditLogAndThePathIsNoted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-audit-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logPath = directory.appendingPathComponent("logs/deep/run.jsonl").path
        let screen = directory.appendingPathComponent("stdout")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: screen.path, contents: nil)
        let notes = LineCollector()
        let output = RunOutput(format: .plain, verbosity: .quiet, colors: false, secrets: [:], auditLogPath: logPath,
                               output: try FileHandle(forWritingTo: screen), note: notes.write)
        ScriptedRun.rollback.forEach(output.reporter.report)
        output.finish()

        #expect(output.logPath == logPath)
        #expect(notes.text == "log: \(logPath)")
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == ScriptedRun.rollback.count)
        #expect(lines.last?.contains(#""type":"summary""#) == true)
        let mode = try FileManager.default.attributesOfItem(atPath: logPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // -q on screen: only the summary (the log keeps everything).
        let shown = try String(contentsOf: screen, encoding: .utf8)
        let first = try #require(shown.split(separator: "\n").first)
        #expect(first.range(of: #"^[0-9]{2}:[0-9]{2}:[0-9]{2} rollback succeeded in 3.5 s$"#, options: .regularExpression) != nil,
                "\(first)")
    }

    @Test func aLogThatCannotBeOpenedIsAWarningNotAFailure() throws {
        let notes = LineCollector()
        let screen = LineCollector()
        let pipe = Pipe()
        let output = RunOutput(format: .json, verbosity: .normal, colors: false, secrets: [:],
                               auditLogPath: "/dev/null/not-a-directory/run.jsonl",
                               output: pipe.fileHandleForWriting, note: notes.write)
        output.reporter.report(.lockAcquired(host: "web1"))
        output.finish()
        try pipe.fileHandleForWriting.close()
        screen.write(String(decoding: pipe.fileHandleForReading.readToEndRetryingInterrupts(), as: UTF8.self))
        #expect(output.logPath == nil)
        #expect(notes.text.hasPrefix("warning: cannot write the audit log /dev/null/not-a-directory/run.jsonl"))
        #expect(screen.text.contains(#""type":"lock_acquired""#))
    }
}
