import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The probe, switch and lock scripts run locally: `current` is found among the releases without
/// `readlink` when it leads to exactly one of them, and read with `readlink` otherwise, with the
/// same answer; a lock just taken is reported from the lease in hand, one held by another run as read.
@Suite struct ProbeScriptTests {
    static let first = "20261129T034500Z-aaaaaaa", second = "20261129T034600Z-bbbbbbb"
    static let alias = "20261129T034700Z-ccccccc", missing = "20261129T034800Z-ddddddd"

    /// A `deploy_to` with two complete releases (and, with `alias`, a link to the first among them).
    static func deployTo(alias: Bool = false) throws -> String {
        let directory = NSTemporaryDirectory() + "deployer-probe-" + UUID().uuidString
        for id in [first, second] {
            try FileManager.default.createDirectory(atPath: directory + "/releases/" + id, withIntermediateDirectories: true)
            try "{\"revision\":\"rev-\(id)\",\"fingerprint\":\"fp\"}\n"
                .write(toFile: directory + "/releases/\(id)/.deployer-release.json", atomically: true, encoding: .utf8)
        }
        if alias {
            try FileManager.default.createSymbolicLink(atPath: directory + "/releases/" + Self.alias, withDestinationPath: first)
        }
        return directory
    }

    static func run(_ script: ShellScript) async throws -> [String] {
        let output = try await ProcessRunner.run("/bin/sh", ["-c", script.text])
        #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        return String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// (link target, with the alias release, the `current` line expected); DIR is `deploy_to`.
    @Test(arguments: [
        ("releases/" + first, false, "::deployer current " + first),
        ("DIR/releases/" + second, false, "::deployer current " + second),
        ("releases/" + first, true, "::deployer current " + first),
        ("releases/" + alias, true, "::deployer current " + alias),
        ("releases/" + missing, false, "::deployer current " + missing),
        ("", false, nil),
    ] as [(String, Bool, String?)])
    func currentIsReportedAsItsLinkNamesIt(target: String, withAlias: Bool, expected: String?) async throws {
        let directory = try Self.deployTo(alias: withAlias)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if !target.isEmpty {
            try FileManager.default.createSymbolicLink(atPath: directory + "/current",
                                                       withDestinationPath: target.replacingOccurrences(of: "DIR", with: directory))
        }
        let lines = try await Self.run(HostScripts.probe(deployTo: directory))
        #expect(lines.filter { $0.hasPrefix("::deployer current") } == (expected.map { [$0] } ?? []))
        // Every marker file under releases/*/, the alias's too (as awk printed them).
        #expect(lines.filter { $0.hasPrefix("::deployer marker") }.count == (withAlias ? 3 : 2))

        // The switch runs under this run's lock, as in a push.
        try FileManager.default.createDirectory(atPath: directory + "/.deployer/lock", withIntermediateDirectories: true)
        try "r1\n".write(toFile: directory + "/.deployer/lock/run", atomically: true, encoding: .utf8)
        let switched = try await Self.run(HostScripts.switch(deployTo: directory, release: ReleaseID(rawValue: Self.second),
                                                             kind: .push, runID: "r1", tasks: []))
        let from = expected.map { String($0.split(separator: " ").last!) } ?? ""
        #expect(switched.contains("::deployer switched \(from) \(Self.second)"), "\(switched)")
    }

    @Test func aLockJustTakenIsReportedFromItsLeaseAndAnotherRunsAsRead() async throws {
        let directory = try Self.deployTo()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory + "/current", withDestinationPath: "releases/" + Self.first)
        func lock(_ runID: String, unlessCurrent: (String, String)? = nil) -> ShellScript {
            HostScripts.lock(deployTo: directory, runID: runID, leaseJSON: "{\"run\":\"\(runID)\"}", ttlSeconds: 60,
                             breakStale: false, brokenHistoryLine: "{}", unlessCurrent: unlessCurrent)
        }
        // The current release has that revision and recipe, but no run finished it here: locked.
        let unfinished = try await Self.run(lock("r0", unlessCurrent: ("rev-" + Self.first, "fp")))
        #expect(unfinished.contains("::deployer lock acquired"), "\(unfinished)")
        #expect(try await Self.run(HostScripts.unlock(deployTo: directory, runID: "r0")) == ["::deployer lock released"])
        try FileManager.default.createDirectory(atPath: directory + "/.deployer", withIntermediateDirectories: true)
        try (Self.second + "\n").write(toFile: directory + "/.deployer/finished", atomically: true, encoding: .utf8)
        let finishedAnother = try await Self.run(lock("r0", unlessCurrent: ("rev-" + Self.first, "fp")))
        #expect(finishedAnother.contains("::deployer lock acquired") && finishedAnother.contains("::deployer finished " + Self.second))
        #expect(try await Self.run(HostScripts.unlock(deployTo: directory, runID: "r0")) == ["::deployer lock released"])
        // The current release has that revision and recipe, and finished here: not locked.
        try (Self.first + "\n").write(toFile: directory + "/.deployer/finished", atomically: true, encoding: .utf8)
        let skipped = try await Self.run(lock("r0", unlessCurrent: ("rev-" + Self.first, "fp")))
        #expect(skipped.contains("::deployer lock skipped") && skipped.contains("::deployer current " + Self.first))
        #expect(!FileManager.default.fileExists(atPath: directory + "/.deployer/lock"))

        let taken = try await Self.run(lock("r1", unlessCurrent: ("rev-" + Self.second, "fp")))
        #expect(taken.contains("::deployer lock acquired"))
        #expect(taken.contains("::deployer lock-age 0") && taken.contains("::deployer lock-info {\"run\":\"r1\"}"))
        #expect(try String(contentsOfFile: directory + "/.deployer/lock/info.json", encoding: .utf8) == "{\"run\":\"r1\"}\n")

        let held = try await Self.run(lock("r2"))
        #expect(held.contains("::deployer lock held") && held.contains("::deployer lock-info {\"run\":\"r1\"}"))
        #expect(held.contains { $0.hasPrefix("::deployer lock-age ") })

        // Only the holder unlocks.
        #expect(try await Self.run(HostScripts.unlock(deployTo: directory, runID: "r2")).isEmpty)
        #expect(try await Self.run(HostScripts.unlock(deployTo: directory, runID: "r1")) == ["::deployer lock released"])
    }

    /// Another run releases its lock just after this run's `mkdir` failed on it: the lock is free, so
    /// it is taken (it was reported as a disk that cannot be written, failing the run). A `mkdir` on
    /// PATH fails once as if the lock were there, without making it.
    @Test func aLockReleasedRightAfterAFailedMkdirIsTaken() async throws {
        let directory = try Self.deployTo()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bin = directory + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/.deployer/artifacts", withIntermediateDirectories: true)
        try """
            #!/bin/sh
            case "$1" in */.deployer/lock) [ -e "\(bin)/failed" ] || { : >"\(bin)/failed"; echo "mkdir: File exists" >&2; exit 1; } ;; esac
            exec /bin/mkdir "$@"
            """.write(toFile: bin + "/mkdir", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/mkdir")
        let script = HostScripts.lock(deployTo: directory, runID: "r1", leaseJSON: "{\"run\":\"r1\"}", ttlSeconds: 60,
                                      breakStale: false, brokenHistoryLine: "{}")
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "PATH=\(bin):$PATH; export PATH\n" + script.text])
        let lines = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        #expect(FileManager.default.fileExists(atPath: bin + "/failed"))
        #expect(lines.contains("::deployer lock acquired"))
        #expect(try String(contentsOfFile: directory + "/.deployer/lock/run", encoding: .utf8) == "r1\n")
    }
}
