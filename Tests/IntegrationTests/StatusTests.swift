import Foundation
import Testing

/// `deployer status` and `deployer releases` against real hosts.
@Suite struct StatusTests {
    @Test func statusShowsReleasesDriftAndUnreachableHosts() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let release = try #require(try await sandbox.current("host1"))
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.status == 0, "\(status.output)")
            #expect(status.output.contains("every host runs \(release)"))
            let releases = try await sandbox.deployer(["releases", "staging"], in: app.path)
            #expect(releases.output.contains(release))
            #expect(releases.output.contains("current"))

            try await sandbox.exec("host3", "ln -sfn releases/nothing /srv/app/current")
            let drift = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(drift.output.contains("drift:"), "\(drift.output)")
            try await sandbox.killSSHD("host2")
            let partial = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(partial.status == 4)
            #expect(partial.output.contains("host2"))
        }
    }
}
