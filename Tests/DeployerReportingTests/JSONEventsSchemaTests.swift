import DeployerExecution
import DeployerModel
import DeployerReporting
import Foundation
import Testing

/// The JSON lines match docs/json-events.schema.json, and docs/json-events.md
/// shows a valid example of every event type.
@Suite struct JSONEventsSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let schemaURL = repository.appendingPathComponent("docs/json-events.schema.json")

    static func schema() throws -> JSONDocument {
        try JSONDocument.parse(String(contentsOf: schemaURL, encoding: .utf8))
    }

    /// Every line the JSON reporter writes for `events` (times from a fake clock).
    static func lines(_ events: [DeployEvent]) -> [String] {
        let output = LineCollector()
        let reporter = JSONReporter(clock: FakeClock(step: 0.001).date, write: output.write)
        events.forEach(reporter.report)
        return output.text.split(separator: "\n").map(String.init)
    }

    static let allLines = lines(ScriptedRun.failedPush + ScriptedRun.rollback + EveryEvent.all(containing: "x\"y\n"))

    @Test func everyCaseHasASample() {
        let numbers = Set(EveryEvent.all(containing: "x").map(EveryEvent.caseNumber))
        #expect(numbers == Set(0..<EveryEvent.caseCount))
    }

    @Test func everyLineValidates() throws {
        let validator = JSONSchemaValidator(root: try JSONEventsSchemaTests.schema())
        for line in JSONEventsSchemaTests.allLines {
            let problems = validator.errors(try JSONDocument.parse(line))
            #expect(problems.isEmpty, "\(line)\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test func theValidatorRejectsWrongEvents() throws {
        let validator = JSONSchemaValidator(root: try JSONEventsSchemaTests.schema())
        let good = #"{"schema":1,"type":"lock_acquired","time":"2026-11-29T03:45:00.000Z","host":"web1"}"#
        #expect(validator.errors(try JSONDocument.parse(good)).isEmpty)
        for bad in [
            #"{"schema":2,"type":"lock_acquired","time":"2026-11-29T03:45:00.000Z","host":"web1"}"#,
            #"{"schema":1,"type":"lock_acquired","time":"2026-11-29 03:45:00","host":"web1"}"#,
            #"{"schema":1,"type":"lock_acquired","time":"2026-11-29T03:45:00.000Z"}"#,
            #"{"schema":1,"type":"lock_acquired","time":"2026-11-29T03:45:00.000Z","host":"web1","extra":1}"#,
            #"{"schema":1,"type":"task_finished","time":"2026-11-29T03:45:00.000Z","host":"w","task":"t","phase":"prepare","seconds":1,"exit_status":true}"#,
            #"{"schema":1,"type":"nope","time":"2026-11-29T03:45:00.000Z"}"#,
        ] {
            #expect(!validator.errors(try JSONDocument.parse(bad)).isEmpty, "accepted \(bad)")
        }
    }

    @Test func commonMembersComeFirst() throws {
        for line in JSONEventsSchemaTests.allLines {
            let document = try JSONDocument.parse(line)
            let type = try #require(document["type"]?.string)
            let time = try #require(document["time"]?.string)
            #expect(line.hasPrefix(#"{"schema":1,"type":"\#(type)","time":"\#(time)""#))
            #expect(!line.contains("\n"))
        }
    }

    @Test func enumerationsMatchTheModel() throws {
        let definitions = try #require(try JSONEventsSchemaTests.schema()["$defs"])
        func values(_ name: String) -> [String] {
            guard case let .array(items)? = definitions[name]?["enum"] else { return [] }
            return items.compactMap(\.string)
        }
        #expect(values("step") == DeployStep.allCases.map(\.rawValue))
        #expect(values("phase") == Phase.allCases.map(\.rawValue))
    }

    /// Every ```json line of docs/json-events.md validates, and every event type has one.
    @Test func documentationExamplesValidate() throws {
        let validator = JSONSchemaValidator(root: try JSONEventsSchemaTests.schema())
        let markdown = try String(contentsOf: JSONEventsSchemaTests.repository.appendingPathComponent("docs/json-events.md"),
                                  encoding: .utf8)
        var inJSON = false
        var documented = Set<String>()
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inJSON = line == "```json"
            } else if inJSON, !line.isEmpty {
                let document = try JSONDocument.parse(String(line))
                let problems = validator.errors(document)
                #expect(problems.isEmpty, "docs example \(line)\n\(problems.joined(separator: "\n"))")
                if let type = document["type"]?.string { documented.insert(type) }
            }
        }
        let types = Set(EveryEvent.all(containing: "x").map(\.jsonType))
        #expect(types.subtracting(documented).isEmpty, "undocumented: \(types.subtracting(documented).sorted())")
    }

    /// A second opinion from python's `jsonschema` when it is installed (it is not in CI).
    @Test func pythonJSONSchemaAgrees() throws {
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-events-\(UUID()).jsonl")
        try (JSONEventsSchemaTests.allLines.joined(separator: "\n") + "\n").write(to: events, atomically: true,
                                                                                  encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: events) }
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                sys.exit(3)
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for line in open(sys.argv[2]):
                validator.validate(json.loads(line))
            """
        guard let python = try? ChildProcess("/usr/bin/env", ["python3", "-c", script, JSONEventsSchemaTests.schemaURL.path,
                                                             events.path], stdout: .inherit) else { return }
        let message = String(decoding: python.standardError!.readToEndRetryingInterrupts(), as: UTF8.self)
        let exit = python.waitForExit()
        guard exit.status != 3, exit.status != 127 else { return }
        #expect(exit.succeeded, "\(message)")
    }
}
