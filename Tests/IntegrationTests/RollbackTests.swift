import DeployerModel
import Foundation
import Testing

/// `deployer rollback` against three real sshd hosts.
@Suite(.tags(.sandbox)) struct RollbackTests {
    @Test(arguments: SSHTransportKind.allCases)
    func rollbackToPreviousAndToANamedRelease(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  note:
                    phase: after_rollback
                    run: "echo {{release_id}} > {{shared}}/rolled-back-to"
                """)
            defer { app.remove() }
            var releases: [String] = []
            for version in ["1", "2", "3"] {
                if version != "1" { try await app.newRevision(version) }
                #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
                releases.append(try #require(try await sandbox.current("host1")))
                try await Task.sleep(for: .milliseconds(1100))
            }
            let back = try await sandbox.deployer(["rollback", "staging"], in: app.path)
            #expect(back.status == 0, "\(back.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == releases[1])
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/rolled-back-to") == releases[1] + "\n")
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 2\n")
            }
            func row(_ release: String) async throws -> String {
                let listed = try await sandbox.deployer(["releases", "staging"], in: app.path)
                return String(listed.output.split(separator: "\n").first { $0.hasPrefix(release) } ?? "")
            }
            #expect(try await row(releases[2]).contains("rolled_back_from"), "the release a rollback left is marked")
            let to = try await sandbox.deployer(["rollback", "staging", "--to", releases[2]], in: app.path)
            #expect(to.status == 0, "\(to.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[2]) }
            let again = try await row(releases[2])
            #expect(again.contains("current") && !again.contains("rolled_back_from"), "\(again)")
            #expect(try await row(releases[1]).contains("rolled_back_from"))
            let history = try await sandbox.exec("host2", "cat /srv/app/.deployer/history.jsonl")
            #expect(history.split(separator: "\n").count == 5)
            #expect(history.contains("\"action\":\"rollback\""))

            try await sandbox.exec("host3", "rm -rf /srv/app/releases/\(releases[0])")
            let missing = try await sandbox.deployer(["rollback", "staging", "--to", releases[0]], in: app.path)
            #expect(missing.status == 1)
            #expect(missing.output.contains("host3 (not present)"), "\(missing.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == releases[2]) }
        }
    }

    @Test func rollbackWithNoEarlierReleaseSaysSo() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let none = try await sandbox.deployer(["rollback", "staging"], in: app.path)
            #expect(none.status == 1)
            #expect(none.output.contains("no earlier release to roll back to"), "\(none.output)")
            #expect(try await !sandbox.exists("host1", "/srv/app/.deployer/lock"))
        }
    }

    @Test func currentIsNeverMissingDuringTwentySwitches() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let second = try #require(try await sandbox.current("host1"))
            let watcher = Task {
                try await sandbox.exec("host1", """
                    n=0; missing=0
                    while [ ! -e /srv/stop-watching ]; do
                      [ -e /srv/app/current/app.txt ] || missing=$((missing+1)); n=$((n+1))
                    done
                    echo "$n $missing"
                    """)
            }
            for round in 0..<20 {
                let target = round % 2 == 0 ? first : second
                let switched = try await sandbox.deployer(["rollback", "staging", "--to", target], in: app.path)
                #expect(switched.status == 0, "\(switched.output)")
            }
            try await sandbox.exec("host1", "touch /srv/stop-watching")
            let counts = try await watcher.value.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            #expect(counts.count == 2)
            #expect(counts.first ?? 0 > 100, "the watcher looked often enough")
            #expect(counts.last == 0, "current was missing \(counts.last ?? -1) times out of \(counts.first ?? 0)")
        }
    }
}
