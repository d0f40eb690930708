import DeployerModel
import DeployerReporting
import Foundation
import Testing

/// Secrets never reach any output.
@Suite struct MaskingTests {
    @Test func everyStringOfEveryEventIsMasked() throws {
        let secret = "hunter2-XYZ"
        let mask = SecretMask(secrets: ["TOKEN": secret])
        for event in EveryEvent.all(containing: secret) {
            let masked = event.mappingStrings(mask.apply)
            // The synthesized Codable encoding holds every stored string of the event.
            let encoded = String(decoding: try JSONEncoder().encode(masked), as: UTF8.self)
            #expect(!encoded.contains(secret), "\(event.jsonType) still shows the secret: \(encoded)")
            #expect(encoded.contains(SecretMask.replacement), "\(event.jsonType)")
        }
    }

    @Test func mappingWithoutChangeIsIdentity() {
        for event in EveryEvent.all(containing: "x") {
            #expect(event.mappingStrings { $0 } == event)
        }
    }

    @Test(arguments: [
        ("plain", "password=s3cr3t-Pa55", "password=****"),
        ("quoted by a template", "export API_TOKEN='tok'\\''en 42'", "export API_TOKEN=****"),
        ("inside a wrapped command", "sh -c 'curl -H tok'\\''en 42'", "sh -c 'curl -H ****'"),
        ("quoted, then wrapped", "sh -c 'echo '\\''tok'\\''\\'\\'''\\''en 42'\\'''", "sh -c 'echo ****'"),
        ("twice on a line", "s3cr3t-Pa55 s3cr3t-Pa55", "**** ****"),
    ])
    func everyFormIsHidden(form: String, text: String, expected: String) {
        #expect(SecretMask(secrets: ScriptedRun.secrets).apply(text) == expected, "\(form)")
    }

    @Test func longerSecretsFirstAndMultiLineSecretsByLine() {
        let mask = SecretMask(secrets: ["SHORT": "abcd", "LONG": "abcdefgh", "KEY": "-----BEGIN-----\nMIIEpAIBAAKC\n-\n"])
        #expect(mask.apply("abcdefgh abcd") == "**** ****")
        #expect(mask.apply("error: bad key line MIIEpAIBAAKC") == "error: bad key line ****")
        #expect(mask.apply("a - b") == "a - b")
        #expect(SecretMask(secrets: ["EMPTY": ""]).isEmpty)
    }

    /// The scripted failing push echoes both secrets in its stderr tail; no
    /// output format, nor the audit log, shows them.
    @Test(arguments: [ReportFormat.plain, .json, .terminal])
    func noOutputShowsASecret(format: ReportFormat) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-mask-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let screen = directory.appendingPathComponent("stdout")
        _ = FileManager.default.createFile(atPath: screen.path, contents: nil)
        let notes = LineCollector()
        let output = RunOutput(format: format, verbosity: .verbose, colors: true, secrets: ScriptedRun.secrets,
                               auditLogPath: directory.appendingPathComponent("log.jsonl").path,
                               output: try FileHandle(forWritingTo: screen), note: notes.write)
        ScriptedRun.failedPush.forEach(output.reporter.report)
        output.finish()
        let shown = try String(contentsOf: screen, encoding: .utf8)
        let logged = try String(contentsOf: directory.appendingPathComponent("log.jsonl"), encoding: .utf8)
        #expect(shown.contains("password authentication failed"))
        #expect(logged.contains("password authentication failed"))
        for text in [shown, logged, notes.text] {
            for fragment in ["s3cr3t", "Pa55", "tok'", "en 42"] {
                #expect(!text.contains(fragment), "\(format): '\(fragment)' shown")
            }
        }
    }
}
