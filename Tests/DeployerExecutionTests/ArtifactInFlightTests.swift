import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The artifact a push streams ahead of the prepare script (`HostScripts.runner`)
/// is checked before anything is extracted: a copy that arrives different is
/// refused and removed, and a good copy is stored under its digest.
@Suite struct ArtifactInFlightTests {
    /// Runs the runner with `/bin/sh` in a fresh `deploy_to`, the artifact `bytes` ahead of a prepare
    /// script expecting `digest`; its exit, output and `deploy_to`.
    static func receive(_ bytes: [UInt8], expecting digest: String) throws -> (ChildProcess.Exit, String, String) {
        let deployTo = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-inflight-\(UUID())").path
        try FileManager.default.createDirectory(atPath: deployTo + "/.deployer/artifacts", withIntermediateDirectories: true)
        let input = HostScripts.PrepareInput(release: ReleaseID(rawValue: "20261129T034500Z-3f2a9c1"), digest: digest,
                                             shared: SharedPaths(), envs: [], tasks: [], markerJSON: "{}", receivesArtifact: true)
        let script = HostScripts.prepare(deployTo: deployTo, input).text
        let shell = try ChildProcess("/bin/sh", ["-c", HostScripts.runner(deployTo: deployTo)], stdin: .pipe, stderr: .standardOutput)
        try shell.standardInput!.write(contentsOf: Data(Array("\(bytes.count)\n".utf8) + bytes + Array(script.utf8)))
        try shell.standardInput!.close()
        let output = String(decoding: shell.standardOutput!.readToEndRetryingInterrupts(), as: UTF8.self)
        return (shell.waitForExit(), output, deployTo)
    }

    static func tarball() throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-inflight-src-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "version 1\n".write(toFile: directory + "/app.txt", atomically: true, encoding: .utf8)
        let tar = try ChildProcess("/bin/tar", ["-czf", "-", "-C", directory, "app.txt"])
        let bytes = tar.standardOutput!.readToEndRetryingInterrupts()
        #expect(tar.waitForExit().succeeded)
        return bytes
    }

    static func sha256(_ bytes: [UInt8]) throws -> String {
        let sum = try ChildProcess("/usr/bin/sha256sum", [], stdin: .pipe)
        try sum.standardInput!.write(contentsOf: Data(bytes))
        try sum.standardInput!.close()
        let text = String(decoding: sum.standardOutput!.readToEndRetryingInterrupts(), as: UTF8.self)
        _ = sum.waitForExit()
        return String(text.prefix(64))
    }

    @Test func aCopyThatArrivesDifferentIsRefusedBeforeExtraction() throws {
        let artifact = try Self.tarball()
        var corrupted = artifact
        corrupted[corrupted.count / 2] ^= 0xFF
        let (exit, output, deployTo) = try Self.receive(corrupted, expecting: try Self.sha256(artifact))
        defer { try? FileManager.default.removeItem(atPath: deployTo) }
        #expect(exit.status == 3, "\(output)")
        let corruptedDigest = try Self.sha256(corrupted)
        #expect(output.contains("arrived corrupted") && output.contains("SHA-256 on the host: \(corruptedDigest)"))
        let stored = try FileManager.default.contentsOfDirectory(atPath: deployTo + "/.deployer/artifacts")
        #expect(stored.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: deployTo + "/releases/20261129T034500Z-3f2a9c1/app.txt"))
    }

    @Test func aGoodCopyIsStoredUnderItsDigestAndExtracted() throws {
        let artifact = try Self.tarball()
        let digest = try Self.sha256(artifact)
        let (exit, output, deployTo) = try Self.receive(artifact, expecting: digest)
        defer { try? FileManager.default.removeItem(atPath: deployTo) }
        #expect(exit.succeeded, "\(output)")
        let stored = try FileManager.default.contentsOfDirectory(atPath: deployTo + "/.deployer/artifacts")
        #expect(stored == ["\(digest).tar.gz"])
        let extracted = try String(contentsOfFile: deployTo + "/releases/20261129T034500Z-3f2a9c1/app.txt", encoding: .utf8)
        #expect(extracted == "version 1\n")
    }
}
