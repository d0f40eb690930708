import Foundation
import Testing

/// `-m MESSAGE` (README, command reference: push's options): "a message recorded with the lock and
/// in history", for each command that takes the lock.
@Suite(.tags(.sandbox)) struct RunMessageTests {
    @Test func theMessageIsRecordedInEachHostsHistory() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let pushed = try await sandbox.deployer(["push", "staging", "-m", "ticket 4711: first release"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let rolledBack = try await sandbox.deployer(["rollback", "staging", "--message", "ticket 4712: back"], in: app.path)
            #expect(rolledBack.status == 0, "\(rolledBack.output)")
            for host in sandbox.hosts {
                let history = try await sandbox.exec(host, "cat /srv/app/.deployer/history.jsonl").split(separator: "\n")
                #expect(history.count == 3, "\(history)")
                #expect(history.first?.contains("ticket 4711: first release") == true, "\(history)")
                #expect(history.dropFirst().first?.contains("ticket 47") == false, "a push without -m records none: \(history)")
                #expect(history.last?.contains("ticket 4712: back") == true, "\(history)")
            }
        }
    }
}
