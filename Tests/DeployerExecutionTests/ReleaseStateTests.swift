@testable import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// Issue 21, item 5: a release is complete (good) only with a marker deployer
/// wrote for that very release: one line of its JSON, well formed, naming it.
/// Anything else under that name leaves the release half-made.
@Suite struct ReleaseStateTests {
    static let ids = ["20261129T034500Z-aaaaaaa", "20261129T034600Z-bbbbbbb", "20261129T034700Z-ccccccc",
                      "20261129T034800Z-ddddddd", "20261129T034900Z-eeeeeee"]

    static func marker(_ id: String) -> String {
        Executor.jsonLine(ReleaseMarker(release: ReleaseID(rawValue: id), revision: String(repeating: "3f2a9c1", count: 5) + "3f2a9",
                                        digest: String(repeating: "ab", count: 32), fingerprint: "fp",
                                        createdAt: "2026-11-29T03:45:00Z", createdBy: "ci"))
    }

    @Test func onlyDeployersOwnMarkerForTheReleaseMakesItGood() async throws {
        let directory = NSTemporaryDirectory() + "deployer-release-state-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let markers: [String?] = [
            Self.marker(Self.ids[0]),                              // deployer's own
            "{\"release\": \"20261129T034600Z-bbbbbbb\", ",        // malformed
            Self.marker(Self.ids[0]),                              // another release's, as a repository could ship it
            Self.marker(Self.ids[3]) + "\n" + Self.marker(Self.ids[3]),  // not one line
            nil,                                                   // none: killed mid-prepare
        ]
        for (id, marker) in zip(Self.ids, markers) {
            try FileManager.default.createDirectory(atPath: directory + "/releases/" + id, withIntermediateDirectories: true)
            try marker.map { try ($0 + "\n").write(toFile: directory + "/releases/\(id)/.deployer-release.json",
                                                   atomically: true, encoding: .utf8) }
        }
        try FileManager.default.createSymbolicLink(atPath: directory + "/current", withDestinationPath: "releases/" + Self.ids[4])
        let output = try await ProcessRunner.run("/bin/sh", ["-c", HostScripts.probe(deployTo: directory).text])
        let facts = HostFacts(markers: String(decoding: output.stdout, as: UTF8.self).split(separator: "\n")
            .compactMap { ScriptMarker(line: $0) })
        #expect(facts.releases.map(\.state) == [.good, .incomplete, .incomplete, .incomplete, .incomplete])
        #expect(facts.goodReleases == [ReleaseID(rawValue: Self.ids[0])])
        #expect(facts.previous == ReleaseID(rawValue: Self.ids[0]))
    }
}
