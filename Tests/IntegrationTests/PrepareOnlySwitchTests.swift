import Foundation
import Testing

/// `deployer push ENV --prepare-only` by shards of a fleet, then `deployer switch ENV RELEASE` once,
/// against real sshd hosts, with what can go wrong between the two steps.
@Suite(.tags(.sandbox)) struct PrepareOnlySwitchTests {
    /// The release id every shard prepares (the first job of a pipeline picks it).
    let release = "20261203T120000Z-shard01"

    /// Two shards prepare one release each on their hosts; nothing switches until `switch`, which then
    /// switches every host, records it, and a second `switch` changes nothing.
    @Test func shardsPrepareTheSameReleaseAndOneSwitchSwitchesEveryHost() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await app.newRevision("2")
            for shard in ["host1,host2", "host3"] {
                let prepared = try await sandbox.deployer(["push", "staging", "--prepare-only", "--release", release,
                                                           "--hosts", shard], in: app.path)
                #expect(prepared.status == 0, "\(prepared.output)")
                #expect(prepared.output.contains("deployer switch staging \(release)"), "\(prepared.output)")
            }
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == first, "\(host) switched before `switch`")
                #expect(try await sandbox.exists(host, "/srv/app/releases/\(release)/.deployer-release.json"))
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
                #expect(try await sandbox.exec(host, "cat /srv/app/.deployer/history.jsonl").contains("\"action\":\"prepare\""))
            }
            let switched = try await sandbox.deployer(["switch", "staging", release], in: app.path)
            #expect(switched.status == 0, "\(switched.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 2\n")
                #expect(try await sandbox.exec(host, "cat /srv/app/.deployer/history.jsonl").contains("\"action\":\"switch\""))
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
            let again = try await sandbox.deployer(["switch", "staging", release], in: app.path)
            #expect(again.status == 0 && again.output.contains("already at \(release)"), "\(again.output)")
        }
    }

    /// Between prepare and switch: a release pruned on one host, altered on another, a lock taken by
    /// another run, a host lost. Each time `switch` switches nothing and says which host and why.
    @Test func switchRefusesWhatChangedSincePrepareAndSwitchesNothing() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await app.newRevision("2")
            let prepared = try await sandbox.deployer(["push", "staging", "--prepare-only", "--release", release], in: app.path)
            #expect(prepared.status == 0, "\(prepared.output)")
            func nothingSwitched() async throws {
                for host in sandbox.hosts { #expect(try await sandbox.current(host) == first, "\(host) switched") }
            }

            try await sandbox.exec("host2", "mv /srv/app/releases/\(release) /tmp/kept-release")
            let marker = "/srv/app/releases/\(release)/.deployer-release.json"
            try await sandbox.exec("host3", "sed -i 's/\"digest\":\"\\(.\\)/\"digest\":\"0\\1/' \(marker)")
            let refused = try await sandbox.deployer(["switch", "staging", release], in: app.path)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("host2: \(release) is not there"), "\(refused.output)")
            #expect(refused.output.contains("host3: \(release) is half-made or altered"), "\(refused.output)")
            #expect(!refused.output.contains("host1:"), "\(refused.output)")
            try await nothingSwitched()
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock")) }

            try await sandbox.exec("host2", "mv /tmp/kept-release /srv/app/releases/\(release)")
            try await sandbox.exec("host3", "sed -i 's/\"digest\":\"0/\"digest\":\"/' \(marker)")
            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let held = try await sandbox.deployer(["switch", "staging", release], in: app.path)
            #expect(held.status == 3, "\(held.output)")
            #expect(held.output.contains("host2 is locked"), "\(held.output)")
            try await nothingSwitched()
            try await sandbox.exec("host2", "rm -rf /srv/app/.deployer/lock")

            try await sandbox.killSSHD("host3")
            let lost = try await sandbox.deployer(["switch", "staging", release], in: app.path)
            #expect(lost.status == 4, "\(lost.output)")
            #expect(lost.output.contains("host3"), "\(lost.output)")
            for host in ["host1", "host2"] {
                #expect(try await sandbox.current(host) == first, "\(host) switched while host3 was lost")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
        }
    }
}
