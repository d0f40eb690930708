import Foundation
import Testing

/// `deployer status` and `deployer releases` against real hosts.
@Suite(.tags(.sandbox)) struct StatusTests {
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

            // With --format json the output is JSON lines only (and stderr's "log: PATH"): the run's events, then one row object per host or release.
            for (command, type) in [("status", "host_status"), ("releases", "release")] {
                let json = try await sandbox.deployer([command, "staging", "--format", "json"], in: app.path)
                #expect(json.status == 0, "\(json.output)")
                let objects = try json.output.split(separator: "\n").filter { !$0.hasPrefix("log: ") }.map { line in
                    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
                }
                let rows = objects.filter { $0["type"] as? String == type }
                #expect(rows.count == (type == "host_status" ? 3 : 1), "\(json.output)")
                for row in rows where type == "host_status" {
                    #expect(row["current"] as? String == release && row["reachable"] as? Bool == true)
                }
                for row in rows where type == "release" {
                    #expect(row["release"] as? String == release && row["hosts"] as? [String] == sandbox.hosts)
                    #expect(row["marks"] as? [String] == ["current"])
                }
            }

            try await sandbox.exec("host3", "ln -sfn releases/nothing /srv/app/current")
            let drift = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(drift.output.contains("drift:"), "\(drift.output)")
            try await sandbox.killSSHD("host2")
            let partial = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(partial.status == 4)
            #expect(partial.output.contains("host2"))
        }
    }

    /// A lock that does not carry its own lease is judged by the recipe's `lock_ttl`, as a push judges
    /// it: `status` used the default five minutes and called a 60-second-old heartbeat fresh under a
    /// 10-second lease.
    @Test func aLockWithoutItsLeaseIsStaleByTheRecipesLockTTL() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", "lock_ttl: 10s\n" + recipe)
            try await app.commit("a short lease")
            try await sandbox.exec("host1", "mkdir -p /srv/app/.deployer/lock && echo $(( $(date +%s) - 60 )) "
                + "> /srv/app/.deployer/lock/heartbeat && chown -R deploy /srv/app")
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.output.contains("(stale)"), "\(status.output)")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 3 && refused.output.contains("stale"), "\(refused.output)")
        }
    }
}
