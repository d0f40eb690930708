import Foundation
import Testing

/// Maintenance mode against three real sshd hosts: `deployer maintenance ENV on|off|status`, and
/// `push --maintenance`, on from before the before_switch tasks and off again after a success, a
/// failure or Ctrl-C.
@Suite(.tags(.sandbox)) struct MaintenanceTests {
    static let flag = "/srv/app/shared/maintenance.on"

    @Test func onStatusAndOffAreRecordedOnEveryHost() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let off = try await sandbox.deployer(["maintenance", "staging", "status"], in: app.path)
            #expect(off.status == 0 && off.output.contains("host1  off"), "\(off.output)")
            let on = try await sandbox.deployer(["maintenance", "staging", "on"], in: app.path)
            #expect(on.status == 0, "\(on.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exists(host, Self.flag))
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
                #expect(try await sandbox.exec(host, "tail -n 1 /srv/app/.deployer/history.jsonl").contains("\"action\":\"maintenance_on\""))
            }
            let shown = try await sandbox.deployer(["maintenance", "staging", "status", "--format", "json"], in: app.path)
            let rows = shown.output.split(separator: "\n").filter { $0.contains("\"type\":\"maintenance_status\"") }
            #expect(rows.count == 3 && rows.allSatisfy { $0.contains("\"maintenance\":true") }, "\(shown.output)")
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.output.contains("on since 20"), "\(status.output)")
            #expect(try await sandbox.deployer(["maintenance", "staging", "off"], in: app.path).status == 0)
            for host in sandbox.hosts {
                #expect(try await !sandbox.exists(host, Self.flag))
                #expect(try await sandbox.exec(host, "tail -n 1 /srv/app/.deployer/history.jsonl").contains("\"action\":\"maintenance_off\""))
            }
        }
    }

    @Test func theRecipesCommandsReplaceTheFlagFile() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe + """

                maintenance:
                  on: "echo {{host}} > {{shared}}/down-for-maintenance"
                  off: "rm -f {{shared}}/down-for-maintenance"

                """)
            try await app.commit("maintenance commands")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let on = try await sandbox.deployer(["maintenance", "staging", "on"], in: app.path)
            #expect(on.status == 0, "\(on.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/down-for-maintenance") == host + "\n")
                #expect(try await !sandbox.exists(host, Self.flag))
            }
            #expect(try await sandbox.deployer(["status", "staging"], in: app.path).output.contains("on since 20"))
            #expect(try await sandbox.deployer(["maintenance", "staging", "off"], in: app.path).status == 0)
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app/shared/down-for-maintenance")) }
        }
    }

    @Test func aPushWithMaintenanceTurnsItOnForItsTasksAndOffAfterSuccessFailureAndCtrlC() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            // What the migration saw; a failing or slow migration when the host says so.
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  migrate:
                    phase: before_switch
                    run: "ls {{shared}}/maintenance.on > {{shared}}/seen 2>&1; if [ -e /srv/fail ]; then exit 3; fi; if [ -e /srv/slow ]; then touch /srv/migrating; sleep 5; fi"
                """)
            defer { app.remove() }
            let push = try await sandbox.deployer(["push", "staging", "--maintenance"], in: app.path)
            #expect(push.status == 0, "\(push.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/seen") == Self.flag + "\n", "on during the migration")
                #expect(try await !sandbox.exists(host, Self.flag), "off after the finish")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/maintenance"))
                #expect(try await sandbox.exec(host, "tail -n 1 /srv/app/.deployer/history.jsonl").contains("\"maintenance\":true"))
            }

            try await sandbox.exec("host2", "touch /srv/fail")
            try await app.newRevision("2")
            let failed = try await sandbox.deployer(["push", "staging", "--maintenance"], in: app.path)
            #expect(failed.status == 1, "\(failed.output)")
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, Self.flag), "off after a failed push") }
            try await sandbox.exec("host2", "rm /srv/fail")

            for host in sandbox.hosts { try await sandbox.exec(host, "touch /srv/slow") }
            try await app.newRevision("3")
            let process = try sandbox.start(["push", "staging", "--maintenance"], in: app.path)
            try await waitFor { try await sandbox.exists("host1", "/srv/migrating") }
            #expect(try await sandbox.exists("host1", Self.flag))
            process.interrupt()
            let interrupted = await process.wait()
            #expect(interrupted.status != 0, "\(interrupted.output)")
            for host in sandbox.hosts {
                #expect(try await !sandbox.exists(host, Self.flag), "off after Ctrl-C")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
        }
    }

    /// The example app (Examples/newsbudget, as it is) on a sandbox host, polled by a client on that host
    /// while `push --maintenance` runs: 503 with the page during the push, 200 after it.
    @Test func theExampleAppServesTheMaintenancePageDuringAPushAndItsPagesAfter() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Examples/newsbudget").path
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            for entry in try FileManager.default.contentsOfDirectory(atPath: example) {
                try? FileManager.default.removeItem(atPath: app.path + "/" + entry)
                try FileManager.default.copyItem(atPath: example + "/" + entry, toPath: app.path + "/" + entry)
            }
            // A migration that takes a second, so the window has room for a few requests.
            try app.write("deploy.yml", try String(contentsOfFile: example + "/deploy.yml", encoding: .utf8) + """
                  migrate:
                    phase: before_switch
                    roles: [web]
                    run: sleep 1

                """)
            try await app.commit("the example app")
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let get = "curl -s -o /dev/null -w '%{http_code}\\n' --max-time 2 --unix-socket /srv/newsbudget/shared/app.sock http://localhost/"
            #expect(try await sandbox.exec("host1", get) == "200\n")
            let poller = Task {
                try await sandbox.exec("host1", "while [ ! -e /srv/stop-polling ]; do \(get) >>/srv/codes; sleep 0.05; done")
            }
            try await app.newRevision("2")
            let push = try await sandbox.deployer(["push", "staging", "--maintenance"], in: app.path)
            // Polled a second longer: a request sent just before maintenance went off may answer 503 after the push ends.
            try await sandbox.exec("host1", "sleep 1; touch /srv/stop-polling")
            _ = try await poller.value
            #expect(push.status == 0, "\(push.output)")
            let codes = try await sandbox.exec("host1", "cat /srv/codes").split(separator: "\n")
            #expect(codes.contains("503"), "\(codes)")
            #expect(codes.last == "200", "\(codes)")
            #expect(try await sandbox.exec("host1", get) == "200\n")
            try await sandbox.exec("host1", "touch /srv/newsbudget/shared/maintenance.on")
            let page = try await sandbox.exec("host1", "curl -s --unix-socket /srv/newsbudget/shared/app.sock http://localhost/")
            #expect(page.contains("being updated"), "\(page)")
            let health = "curl -s -o /dev/null -w '%{http_code}' --unix-socket /srv/newsbudget/shared/app.sock http://localhost/health"
            #expect(try await sandbox.exec("host1", health) == "200", "the health check still answers")
            try await sandbox.exec("host1", "kill $(cat /srv/newsbudget/shared/pids/app.pid)")
        }
    }
}
