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

    /// Run A's controller is stopped (SIGSTOP) while host2 runs its prepare task: its heartbeat stops,
    /// and past `lock_ttl` its leases are stale. Run B is refused without `--break-stale-lock` (the
    /// holder and the heartbeat's age named), takes the locks with it, and prepares. A is let go on
    /// (SIGCONT) while B holds the locks: A switches nothing, leaves B's locks alone and says it lost
    /// its lock; then B deploys.
    @Test func aStalledRunsLockGoesStaleIsTakenAndTheStalledRunThenChangesNothing() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            // A task that waits, once per `hold` file, until the test puts `go` beside it (both made by root
            // in the deploy user's shared/: the task can remove them).
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  wait_here:
                    phase: prepare
                    run: "if [ -e {{ shared }}/hold ]; then rm {{ shared }}/hold; touch {{ shared }}/held; while [ ! -e {{ shared }}/go ]; do sleep 0.2; done; rm {{ shared }}/go {{ shared }}/held; fi"
                """)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", "lock_ttl: 10s\n" + recipe)
            try await app.commit("a short lease")
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let release = try #require(try await sandbox.current("host1"))
            try await app.newRevision("2")

            func hold(_ host: String) async throws {
                try await sandbox.root(host, "touch /srv/app/shared/hold")
            }
            func go(_ host: String) async throws {
                try await sandbox.root(host, "touch /srv/app/shared/go")
            }
            func lockHolder(_ host: String) async throws -> String {
                try await sandbox.exec(host, "cat /srv/app/.deployer/lock/run 2>/dev/null || true")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }

            try await hold("host2")
            let stalled = try sandbox.start(["push", "staging"], in: app.path)
            defer { stalled.killHard() }
            try await waitFor(seconds: 60) { try await sandbox.exists("host2", "/srv/app/shared/held") }
            let stalledRun = try await lockHolder("host1")
            stalled.pause()

            // The lease is 10 s, refreshed every 2 s: stale 10 to 12 s after the stop.
            try await Task.sleep(for: .seconds(13))
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 3, "\(refused.output)")
            #expect(refused.output.contains("is locked by") && refused.output.contains("run \(stalledRun)"), "\(refused.output)")
            #expect(refused.output.contains("last heartbeat") && refused.output.contains("stale"), "\(refused.output)")

            try await hold("host1")
            let taking = try sandbox.start(["push", "staging", "--break-stale-lock"], in: app.path)
            defer { taking.killHard() }
            try await waitFor(seconds: 60) { try await sandbox.exists("host1", "/srv/app/shared/held") }
            let takingRun = try await lockHolder("host1")
            #expect(!takingRun.isEmpty && takingRun != stalledRun)
            #expect(try await lockHolder("host2") == takingRun)

            // A's prepare ends on host2 while A is stopped; A reads that when it goes on.
            try await go("host2")
            try await waitFor(seconds: 30) { try await !sandbox.exists("host2", "/srv/app/shared/held") }
            stalled.resume()
            let resumed = await stalled.wait()
            #expect(resumed.status != 0, "\(resumed.output)")
            #expect(resumed.output.contains("no longer holds the lock") || resumed.output.contains("taken over"),
                    "\(resumed.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release, "\(host) switched by the stalled run")
                #expect(try await lockHolder(host) == takingRun, "\(host): the lock of the run that took over is gone")
            }

            try await go("host1")
            let taken = await taking.wait()
            #expect(taken.status == 0, "\(taken.output)")
            for host in sandbox.hosts {
                let current = try await sandbox.current(host)
                #expect(current != nil && current != release, "\(host) was not deployed by the run that took over")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"), "\(host) is still locked")
            }
            #expect(try await sandbox.exec("host1", "cat /srv/app/.deployer/history.jsonl").contains("lock_broken"))
        }
    }
}
