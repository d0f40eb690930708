import Foundation
import Testing

/// `keep_releases` bounds the disk a host uses: failed releases count toward it, an env whose
/// build failed is removed, and what is deleted is reported (`pruned` events).
@Suite(.tags(.sandbox)) struct DiskBoundTests {
    @Test func failedReleasesCountTowardKeepReleasesAndAFailedEnvBuildIsRemoved() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, keepReleases: 2, tasks: """
                  check:
                    phase: prepare
                    run: "if [ -e /srv/fail-check ]; then echo config is broken >&2; exit 7; fi"
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let good = try #require(try await sandbox.current("host1"))

            try await sandbox.exec("host1", "touch /srv/fail-check")
            for version in ["3", "4"] {
                try await app.newRevision(version)
                #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 1)
            }
            try await sandbox.exec("host1", "rm /srv/fail-check")
            // requirements.txt as a directory: the env build (cp requirements.txt …) fails after making its directory.
            try FileManager.default.removeItem(atPath: app.path + "/requirements.txt")
            try FileManager.default.createDirectory(atPath: app.path + "/requirements.txt", withIntermediateDirectories: true)
            try app.write("requirements.txt/broken", "x\n")
            try await app.commit("broken requirements")
            let broken = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
            #expect(broken.status == 1, "\(broken.output)")
            #expect(broken.output.contains(#""type":"pruned""#) && broken.output.contains(#""kind":"env""#), "\(broken.output)")
            #expect(try await sandbox.exec("host1", "ls /srv/app/envs").split(separator: "\n").count == 1,
                    "only the env that built is left")
            #expect(try await sandbox.exec("host1", "ls /srv/app/releases").split(separator: "\n").count == 5)

            try FileManager.default.removeItem(atPath: app.path + "/requirements.txt")
            try app.write("requirements.txt", "flask==3.0\n")
            try await app.commit("requirements back")
            let fixed = try await sandbox.deployer(["push", "staging", "-v"], in: app.path)
            #expect(fixed.status == 0, "\(fixed.output)")
            let current = try #require(try await sandbox.current("host1"))
            #expect(try await sandbox.exec("host1", "ls /srv/app/releases").split(separator: "\n").map(String.init)
                    == [good, current], "keep_releases: 2 bounds failed releases too")
            #expect(fixed.output.components(separatedBy: "host1 | pruned release ").count - 1 == 4, "\(fixed.output)")
        }
    }
}
