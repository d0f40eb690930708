import Foundation
import Testing

/// Golden files under `Golden/`: compared byte for byte; with
/// `DEPLOYER_RECORD_GOLDEN=1` rewritten in the source tree, and the test
/// fails so that re-recording cannot pass silently.
enum Golden {
    static func check(_ actual: String, _ name: String, filePath: String = #filePath,
                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        if ProcessInfo.processInfo.environment["DEPLOYER_RECORD_GOLDEN"] == "1" {
            let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden").appendingPathComponent(name)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded Golden/\(name); check the diff, then run again without DEPLOYER_RECORD_GOLDEN",
                         sourceLocation: sourceLocation)
            return
        }
        let directory = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let expected = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        guard actual != expected else { return }
        let actualLines = actual.components(separatedBy: "\n")
        let expectedLines = expected.components(separatedBy: "\n")
        let first = zip(actualLines, expectedLines).enumerated().first { $1.0 != $1.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        Issue.record("""
            output differs from Golden/\(name) at line \(first + 1):
              expected: \(first < expectedLines.count ? expectedLines[first] : "<end>")
              actual:   \(first < actualLines.count ? actualLines[first] : "<end>")
            re-record with DEPLOYER_RECORD_GOLDEN=1 if the change is intended
            """, sourceLocation: sourceLocation)
    }
}
