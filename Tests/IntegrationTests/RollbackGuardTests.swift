import Foundation
import Testing

/// `irreversible: true` tasks against three real sshd hosts: a rollback past a release such a task ran
/// for is refused (exit 2) unless `--past-irreversible`; one not past it goes through.
@Suite(.tags(.sandbox)) struct RollbackGuardTests {
    @Test func anIrreversibleMigrationBlocksARollbackPastItsRelease() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            // A migration that runs once (on host1) and only when the revision ships one, like `migrate --check`.
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  migrate:
                    phase: before_switch
                    roles: [web]
                    once: true
                    irreversible: true
                    only_if: test -f migration.txt
                    run: cat migration.txt >> {{shared}}/schema
                """)
            defer { app.remove() }
            var releases: [String] = []
            for version in ["1", "2", "3"] {
                if version == "2" { try app.write("migration.txt", "drop column legacy\n") }
                if version == "3" { try FileManager.default.removeItem(atPath: app.path + "/migration.txt") }
                if version != "1" { try await app.newRevision(version) }
                let push = try await sandbox.deployer(["push", "staging"], in: app.path)
                #expect(push.status == 0, "\(push.output)")
                releases.append(try #require(try await sandbox.current("host1")))
                try await Task.sleep(for: .milliseconds(1100))
            }
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/schema") == "drop column legacy\n")
            // Recorded on every host, though it ran on host1 only; a skipped run is no record.
            for host in sandbox.hosts {
                let journal = try await sandbox.exec(host, "cat /srv/app/.deployer/irreversible.jsonl")
                #expect(journal.contains("\"release\":\"\(releases[1])\"") && journal.contains("\"task\":\"migrate\""), "\(journal)")
                #expect(!journal.contains(releases[0]) && !journal.contains(releases[2]), "\(journal)")
            }
            let listed = try await sandbox.deployer(["releases", "staging"], in: app.path)
            let row = listed.output.split(separator: "\n").first { $0.hasPrefix(releases[1]) } ?? ""
            #expect(row.contains("migrate at 20"), "\(listed.output)")
            let status = try await sandbox.deployer(["status", "staging", "--format", "json"], in: app.path)
            let hostRows = try status.output.split(separator: "\n").filter { !$0.hasPrefix("log: ") }.compactMap { line in
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            }.filter { $0["type"] as? String == "host_status" }
            #expect(hostRows.count == 3)
            for hostRow in hostRows {
                let last = hostRow["last_irreversible"] as? [String: Any]
                #expect(last?["task"] as? String == "migrate" && last?["release"] as? String == releases[1], "\(status.output)")
            }

            // Back to the release the migration ran for: not past it. The plan printed is the rollback done.
            let planned = try await sandbox.deployer(["plan", "staging", "--rollback", "--format", "json"], in: app.path)
            #expect(planned.status == 0, "\(planned.output)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.output.utf8)) as? [String: Any],
                                    "\(planned.output)")
            #expect(plan["decision"] as? String == "roll_back" && plan["target"] as? String == releases[1], "\(planned.output)")
            let switching = (plan["hosts"] as? [[String: Any]] ?? []).filter { $0["switches"] as? Bool == true }.compactMap { $0["name"] as? String }
            #expect(switching == sandbox.hosts, "\(planned.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[2], "a plan changes nothing") }
            let back = try await sandbox.deployer(["rollback", "staging"], in: app.path)
            #expect(back.status == 0, "\(back.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[1]) }

            // The host that ran it lost its journal: the others' records still stop a rollback past it.
            try await sandbox.exec("host1", "rm /srv/app/.deployer/irreversible.jsonl")
            // The plan of that rollback shows the guard: refused without --past-irreversible, naming the run.
            let pastPlan = try await sandbox.deployer(["plan", "staging", "--rollback", "--to", releases[0]], in: app.path)
            #expect(pastPlan.status == 0, "\(pastPlan.output)")
            #expect(pastPlan.output.contains("would be refused (exit 2)") && pastPlan.output.contains("--past-irreversible")
                && pastPlan.output.contains("task 'migrate' ran for release \(releases[1]) at 20")
                && pastPlan.output.contains("host1: runs \(releases[1]) -> \(releases[0])"), "\(pastPlan.output)")
            let past = try await sandbox.deployer(["rollback", "staging", "--to", releases[0]], in: app.path)
            #expect(past.status == 2, "\(past.output)")
            #expect(past.output.contains("task 'migrate' ran for release \(releases[1]) at 20"), "\(past.output)")
            #expect(past.output.contains("--past-irreversible"), "\(past.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[1]) }
            #expect(try await !sandbox.exists("host2", "/srv/app/.deployer/lock"))

            let anyway = try await sandbox.deployer(["rollback", "staging", "--to", releases[0], "--past-irreversible"],
                                                    in: app.path)
            #expect(anyway.status == 0, "\(anyway.output)")
            #expect(anyway.output.contains("went past irreversible work"), "\(anyway.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[0]) }
            let history = try await sandbox.exec("host3", "tail -n 1 /srv/app/.deployer/history.jsonl")
            #expect(history.contains("\"action\":\"rollback\"") && history.contains("\"irreversible\":[{"), "\(history)")
        }
    }
}
