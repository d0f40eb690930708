import DeployerModel
import Foundation
import Testing
@testable import DeployerExecution

/// The finish script run locally: a failed release whose failure mark cannot be written (a full
/// disk) is reported as a warning, not passed over in silence.
@Suite struct FinishScriptTests {
    static let id = "20261129T034500Z-aaaaaaa"

    /// The finish script's output for a run that failed, with release `id`'s failure mark
    /// written where `blocked` says (a directory there: no shell can write it, as on a full disk).
    static func warnings(blocked: Bool) async throws -> (warnings: [String], markers: [ScriptMarker]) {
        let directory = NSTemporaryDirectory() + "deployer-finish-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let release = directory + "/releases/" + id
        try FileManager.default.createDirectory(atPath: release + (blocked ? "/" + RemoteLayout.failedMarkerFile : ""),
                                                withIntermediateDirectories: true)
        let script = HostScripts.finish(deployTo: directory, HostScripts.FinishInput(
            markFailed: (ReleaseID(rawValue: id), "prepare failed on web2"), historyLine: "{}", prune: [],
            pruneCaches: false, runID: "run-1"))
        let output = try await ProcessRunner.run("/bin/sh", ["-c", script.text])
        #expect(output.status == 0)
        let reporter = RecordingReporter()
        let collector = MarkerCollector(host: "web1", reporter: reporter)
        MarkerLineSplitter { collector.add($0) }.feed(output.stdout)
        let warnings = reporter.events.compactMap { event -> String? in
            if case let .hostWarning(host, message) = event { "\(host): \(message)" } else { nil }
        }
        return (warnings, collector.markers)
    }

    @Test func aFailedReleaseThatCannotBeMarkedIsReportedAsAWarning() async throws {
        let result = try await Self.warnings(blocked: true)
        #expect(result.warnings == ["web1: could not mark release \(Self.id) failed (.deployer-failed not written: "
            + "is the disk full?); until it is marked, a rollback may choose it"])
        #expect(!result.markers.contains(.markedFailed(ReleaseID(rawValue: Self.id))))
    }

    @Test func aFailedReleaseIsMarkedWithoutAWarning() async throws {
        let result = try await Self.warnings(blocked: false)
        #expect(result.warnings.isEmpty)
        #expect(result.markers.contains(.markedFailed(ReleaseID(rawValue: Self.id))))
    }
}
