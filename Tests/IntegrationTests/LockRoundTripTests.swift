import Foundation
import Testing

/// Round trips around the fleet lock, read from `DEPLOYER_TRACE_ROUNDTRIPS=1` (one `trace HOST +MS
/// EVENT` line per network step, written as it happens, so the order of the lines is the order of the events).
@Suite(.tags(.sandbox)) struct LockRoundTripTests {
    /// The first host's lock is taken before any other's (of two runs started together, one wins), but
    /// the other hosts' script shells (a channel opened and a shell started: two round trips) start
    /// meanwhile, so their lock costs one round trip after it instead of three.
    @Test func theOtherHostsStartTheirScriptShellWhileTheFirstHostIsLocked() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)

            let back = try await sandbox.deployer(["rollback", "staging"], in: app.path,
                                                  environment: ["DEPLOYER_TRACE_ROUNDTRIPS": "1"])
            #expect(back.status == 0, "\(back.output)")
            let lines = back.output.split(separator: "\n").map(String.init)
            func first(_ host: String, _ event: String) -> Int? {
                lines.firstIndex { $0.hasPrefix("trace \(host) +") && $0.contains(event) }
            }
            let leaderLocked = try #require(first("host1", "script ended"), "\(back.output)")
            for peer in ["host2", "host3"] {
                let shellStarted = try #require(first(peer, "exec sent: `sh -s` (script shell)"), "\(back.output)")
                // A peer still logging in when host1's lock came back could not have started earlier (on a
                // loaded machine that happens): the order says something only for a peer logged in by then.
                let loggedIn = try #require(first(peer, "accepted"), "\(back.output)")
                if loggedIn < leaderLocked {
                    #expect(shellStarted < leaderLocked, "\(peer)'s script shell started only after host1's lock:\n\(back.output)")
                }
            }
        }
    }
}
