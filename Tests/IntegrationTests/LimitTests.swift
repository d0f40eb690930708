import Foundation
import Testing

/// `--hosts` and `--roles` on real hosts: a limited push is a partial deploy that the next
/// unlimited push completes with the same release, which is also how a new host joins.
@Suite(.tags(.sandbox)) struct LimitTests {
    @Test func aLimitedPushThenAnUnlimitedOneGivesTheOthersTheSameRelease() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let old = try #require(try await sandbox.current("host1"))
            try await app.newRevision("2")

            let limited = try await sandbox.deployer(["push", "staging", "--hosts", "host1,host2"], in: app.path)
            #expect(limited.status == 0, "\(limited.output)")
            #expect(limited.output.contains("limited to 2 of 4 hosts (host1, host2); the other 2 hosts were not touched"),
                    "\(limited.output)")
            let new = try #require(try await sandbox.current("host1"))
            #expect(new != old)
            #expect(try await sandbox.current("host2") == new)
            for host in ["host3", "host4"] {
                #expect(try await sandbox.current(host) == old)
                #expect(try await sandbox.exec(host, "cat /srv/app/.deployer/history.jsonl").split(separator: "\n").count == 1,
                        "a host outside the limit is not touched, not even its history")
            }
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.output.contains("host1, host2 on \(new)") && status.output.contains("host3, host4 on \(old)"),
                    "\(status.output)")
            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.output.contains("release \(new) of this revision and recipe already runs on some hosts: "
                + "a push would give it to host3, host4"), "\(plan.output)")
            let limitedPlan = try await sandbox.deployer(["plan", "staging", "--roles", "web", "--hosts", "host3"], in: app.path)
            #expect(limitedPlan.output.contains("1 of 4 hosts would change"), "\(limitedPlan.output)")

            for host in sandbox.hosts { try await sandbox.exec(host, "rm -f /srv/app/shared/restarted") }
            let full = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(full.status == 0, "\(full.output)")
            #expect(full.output.contains("host1, host2 already run \(new): left alone"), "\(full.output)")
            let digest = try await sandbox.exec("host1", "cat /srv/app/current/.deployer-artifact")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == new)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/.deployer-artifact") == digest)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 2\n")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
            for host in ["host1", "host2"] {
                #expect(try await !sandbox.exists(host, "/srv/app/shared/restarted"), "\(host) was restarted again")
                #expect(try await sandbox.exec(host, "ls /srv/app/releases").split(separator: "\n").count == 2)
            }
            for host in ["host3", "host4"] { #expect(try await sandbox.exists(host, "/srv/app/shared/restarted")) }

            let again = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(again.status == 0 && again.output.contains("already at \(new)"), "\(again.output)")
        }
    }

    @Test func aNewHostJoinsWithTheReleaseTheOthersRun() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await AppRepository(hosts: Array(sandbox.hosts.prefix(3)))
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let release = try #require(try await sandbox.current("host1"))
            let revision = try await sandbox.exec("host1", "cat /srv/app/current/.deployer-release.json")
                .components(separatedBy: "\"revision\":\"")[1].prefix(40)
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "host3]", with: "host3, host4]"))
            try await app.commit("host4 joins")
            for host in sandbox.hosts { try await sandbox.exec(host, "rm -f /srv/app/shared/restarted") }

            let joined = try await sandbox.deployer(["push", "staging", "--hosts", "host4", "--revision", String(revision)],
                                                    in: app.path)
            #expect(joined.status == 0, "\(joined.output)")
            #expect(try await sandbox.current("host4") == release)
            #expect(try await sandbox.exists("host4", "/srv/app/shared/restarted"))
            for host in ["host1", "host2", "host3"] {
                #expect(try await !sandbox.exists(host, "/srv/app/shared/restarted"))
            }
            let whole = try await sandbox.deployer(["push", "staging", "--revision", String(revision)], in: app.path)
            #expect(whole.status == 0 && whole.output.contains("already at \(release)"), "\(whole.output)")
        }
    }

    @Test func aLimitedPushIsBlockedOnlyByItsOwnHosts() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let old = try #require(try await sandbox.current("host1"))
            try await app.newRevision("2")

            let unknown = try await sandbox.deployer(["push", "staging", "--hosts", "host1,hots2"], in: app.path)
            #expect(unknown.status == 2)
            #expect(unknown.output.contains("no host 'hots2' (--hosts); did you mean 'host2'?"), "\(unknown.output)")
            let role = try await sandbox.deployer(["status", "staging", "--roles", "wbe"], in: app.path)
            #expect(role.status == 2 && role.output.contains("did you mean 'web'?"), "\(role.output)")

            // Another run holds the lock on host4, outside the limit: the limited push goes ahead.
            try await sandbox.exec("host4", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let beside = try await sandbox.deployer(["push", "staging", "--hosts", "host1"], in: app.path)
            #expect(beside.status == 0, "\(beside.output)")
            let new = try #require(try await sandbox.current("host1"))
            #expect(new != old)
            #expect(try await sandbox.exists("host4", "/srv/app/.deployer/lock"), "another run's lock is never touched")

            // A limited host that cannot be reached stops the push before anything changes.
            try await sandbox.killSSHD("host3")
            let unreachable = try await sandbox.deployer(["push", "staging", "--hosts", "host2,host3"], in: app.path)
            #expect(unreachable.status == 4, "\(unreachable.output)")
            #expect(try await sandbox.current("host2") == old)
            #expect(try await !sandbox.exists("host2", "/srv/app/.deployer/lock"))
            let limitedStatus = try await sandbox.deployer(["status", "staging", "--hosts", "host1,host2"], in: app.path)
            #expect(limitedStatus.status == 0 && !limitedStatus.output.contains("host3"), "\(limitedStatus.output)")
        }
    }
}
