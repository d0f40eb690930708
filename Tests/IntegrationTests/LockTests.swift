import Foundation
import Testing

/// The deploy lock against real hosts.
@Suite(.tags(.sandbox)) struct LockTests {
    @Test func twoPushesAtOnceExactlyOneWins() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  slow:
                    phase: prepare
                    run: sleep 1
                """)
            defer { app.remove() }
            let one = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: sandbox.sshConfig)
            let two = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: sandbox.sshConfig)
            let results = [await one.wait(), await two.wait()]
            #expect(results.map(\.status).sorted() == [0, 3], "\(results.map(\.output))")
            let loser = try #require(results.first { $0.status == 3 })
            #expect(loser.output.contains("host1 is locked"), "\(loser.output)")
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock")) }
        }
    }

    @Test func unlockRemovesALeftoverLockAndRecordsIt() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let held = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(held.status == 3, "\(held.output)")
            // The plain log said "host2 | lock ok" just before "host2 | lock held by …" (issue 22).
            #expect(held.output.contains("host2 | lock held by"), "\(held.output)")
            #expect(!held.output.contains("host2 | lock ok"), "\(held.output)")
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.output.contains("held by"), "\(status.output)")
            let unlock = try await sandbox.deployer(["unlock", "staging", "--yes"], in: app.path)
            #expect(unlock.status == 0, "\(unlock.output)")
            #expect(try await sandbox.exec("host2", "cat /srv/app/.deployer/history.jsonl").contains("\"action\":\"unlock\""))
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
        }
    }

    @Test func aStaleLockIsBrokenOnlyWhenAsked() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try await sandbox.exec("host1", "mkdir -p /srv/app/.deployer/lock && echo 1000 > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 3)
            #expect(refused.output.contains("stale"))
            let taken = try await sandbox.deployer(["push", "staging", "--break-stale-lock"], in: app.path)
            #expect(taken.status == 0, "\(taken.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/.deployer/history.jsonl").contains("lock_broken"))
        }
    }
}
