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
        try Self.lock(directory, by: "run-1")
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

    /// The finish step records the release a host finished in `.deployer/finished` (replacing a link
    /// there, never writing through it); the next switch empties it; the probe reports it; a release
    /// `current` points at is never marked failed (a host that runs it unfinished).
    @Test func theFinishedReleaseIsRecordedAndASwitchForgetsIt() async throws {
        let directory = NSTemporaryDirectory() + "deployer-finish-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let elsewhere = directory + "-elsewhere"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let other = "20261129T034600Z-bbbbbbb"
        for release in [Self.id, other] {
            try FileManager.default.createDirectory(atPath: directory + "/releases/" + release, withIntermediateDirectories: true)
            try "{}\n".write(toFile: directory + "/releases/\(release)/\(RemoteLayout.releaseMarkerFile)", atomically: true,
                             encoding: .utf8)
        }
        try Self.lock(directory, by: "run-1")
        try FileManager.default.createSymbolicLink(atPath: directory + "/current", withDestinationPath: "releases/" + Self.id)
        try "outside\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/.deployer/finished.tmp", withDestinationPath: elsewhere)
        func run(_ script: ShellScript) async throws -> String {
            let output = try await ProcessRunner.run("/bin/sh", ["-c", script.text])
            #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
            return String(decoding: output.stdout, as: UTF8.self)
        }
        let finish = try await run(HostScripts.finish(deployTo: directory, HostScripts.FinishInput(
            markFailed: (ReleaseID(rawValue: Self.id), "after_switch failed on web1"), historyLine: "{}", prune: [],
            pruneCaches: false, runID: "run-1", finished: ReleaseID(rawValue: Self.id))))
        #expect(!finish.contains("marked-failed"), "\(finish)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/releases/\(Self.id)/\(RemoteLayout.failedMarkerFile)"))
        #expect(try String(contentsOfFile: directory + "/.deployer/finished", encoding: .utf8) == Self.id + "\n")
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "outside\n", "written through a link")
        #expect(try await run(HostScripts.probe(deployTo: directory)).contains("::deployer finished \(Self.id)\n"))

        try Self.lock(directory, by: "run-2")
        _ = try await run(HostScripts.switch(deployTo: directory, release: ReleaseID(rawValue: other), kind: .push,
                                             runID: "run-2", tasks: []))
        #expect(try String(contentsOfFile: directory + "/.deployer/finished", encoding: .utf8) == "")
        #expect(!(try await run(HostScripts.probe(deployTo: directory)).contains("::deployer finished")))
    }

    @Test func aFailedReleaseIsMarkedWithoutAWarning() async throws {
        let result = try await Self.warnings(blocked: false)
        #expect(result.warnings.isEmpty)
        #expect(result.markers.contains(.markedFailed(ReleaseID(rawValue: Self.id))))
    }

    /// A run whose lock was taken over (its lease went stale while it was stopped) marks its own
    /// release failed and records its history, but neither switches nor records a finished release,
    /// and leaves the other run's lock where it is.
    @Test func aRunThatLostItsLockSwitchesAndFinishesNothing() async throws {
        let directory = NSTemporaryDirectory() + "deployer-finish-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for release in [Self.id, "20261129T034600Z-bbbbbbb"] {
            try FileManager.default.createDirectory(atPath: directory + "/releases/" + release, withIntermediateDirectories: true)
            try "{}\n".write(toFile: directory + "/releases/\(release)/\(RemoteLayout.releaseMarkerFile)", atomically: true,
                             encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: directory + "/current", withDestinationPath: "releases/20261129T034600Z-bbbbbbb")
        try Self.lock(directory, by: "the-other-run")
        let switched = try await ProcessRunner.run("/bin/sh", ["-c", HostScripts.switch(
            deployTo: directory, release: ReleaseID(rawValue: Self.id), kind: .push, runID: "run-1", tasks: []).text])
        #expect(switched.status == 1)
        #expect(String(decoding: switched.stdout, as: UTF8.self).contains(
            "switch: this run no longer holds the lock on this host (its lease went stale and run the-other-run took it over)"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/current") == "releases/20261129T034600Z-bbbbbbb")

        let finished = try await ProcessRunner.run("/bin/sh", ["-c", HostScripts.finish(deployTo: directory, HostScripts.FinishInput(
            markFailed: (ReleaseID(rawValue: Self.id), "switch failed"), historyLine: "{}", prune: [ReleaseID(rawValue: Self.id)],
            pruneCaches: true, runID: "run-1", finished: ReleaseID(rawValue: Self.id))).text])
        #expect(finished.status == 1)
        #expect(FileManager.default.fileExists(atPath: directory + "/releases/\(Self.id)/\(RemoteLayout.failedMarkerFile)"))
        #expect(try String(contentsOfFile: directory + "/.deployer/history.jsonl", encoding: .utf8) == "{}\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/.deployer/finished"))
        #expect(try String(contentsOfFile: directory + "/.deployer/lock/run", encoding: .utf8) == "the-other-run\n")
    }

    /// `deployTo`'s lock, held by run `runID` (the finish and switch steps run under their run's lock).
    private static func lock(_ deployTo: String, by runID: String) throws {
        try FileManager.default.createDirectory(atPath: deployTo + "/.deployer/lock", withIntermediateDirectories: true)
        try (runID + "\n").write(toFile: deployTo + "/.deployer/lock/run", atomically: true, encoding: .utf8)
    }
}
