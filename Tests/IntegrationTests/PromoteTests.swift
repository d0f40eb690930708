import Foundation
import Testing

/// `deployer promote staging prod` against real sshd hosts.
@Suite(.serialized, .tags(.sandbox)) struct PromoteTests {
    /// An app with `staging` on host1 and host2 and `prod` on host3 and host4.
    static func app(_ sandbox: Sandbox) async throws -> AppRepository {
        let app = try await AppRepository(hosts: ["host1", "host2"])
        let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
        try app.write("deploy.yml", recipe.replacingOccurrences(of: "environments:\n", with: """
            environments:
              prod:
                hosts: { web: [host3, host4] }
                rolling: { batch: 1 }

            """))
        try await app.commit("prod")
        return app
    }

    static func marker(_ sandbox: Sandbox, _ host: String) async throws -> [String: Any] {
        let json = try await sandbox.exec(host, "cat /srv/app/current/.deployer-release.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func prodGetsTheArtifactStagingRuns() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await Self.app(sandbox)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let staging = try await Self.marker(sandbox, "host1")
            // HEAD moves on: promote still ships what staging runs.
            try await app.newRevision("2")
            let promote = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(promote.status == 0, "\(promote.output)")
            let diff = try await sandbox.deployer(["diff", "staging", "prod", "--live"], in: app.path)
            #expect(diff.output.contains("staging runs"), "\(diff.output)")
            for host in ["host3", "host4"] {
                let prod = try await Self.marker(sandbox, host)
                #expect(prod["digest"] as? String == staging["digest"] as? String)
                #expect(prod["revision"] as? String == staging["revision"] as? String)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 1\n")
            }
            let plan = try await sandbox.deployer(["plan", "prod", "--format", "json", "--revision",
                                                   staging["revision"] as? String ?? "?"], in: app.path)
            let planned = try #require(try JSONSerialization.jsonObject(with: Data(plan.output.utf8)) as? [String: Any])
            // The fingerprint prod's hosts record is the one this recipe gives prod: a push of that revision is a no-op.
            #expect(planned["decision"] as? String == "already_current", "\(plan.output)")
            #expect(planned["digest"] as? String == staging["digest"] as? String)
        }
    }

    @Test func promoteIsRefusedWhileStagingHostsDisagree() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await Self.app(sandbox)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await sandbox.exec("host2", "ln -sfn releases/\(first) /srv/app/current")
            let refused = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("do not all run the same release"), "\(refused.output)")
            #expect(refused.output.contains("host2 on \(first)"), "\(refused.output)")
            #expect(try await sandbox.current("host3") == nil)

            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let locked = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(locked.status == 3, "\(locked.output)")
            #expect(locked.output.contains("lock is held on host2"), "\(locked.output)")
            #expect(try await sandbox.current("host4") == nil)
        }
    }

    /// Issue 21, item 2: staging's artifact swapped on both hosts and their
    /// release markers edited to its digest. The controller builds the commit,
    /// gets another digest and refuses, naming both and the hosts; prod is
    /// untouched (it used to fetch staging's copy and run it under the commit's id).
    @Test func aStagingArtifactThatIsNotItsCommitsIsNotPromoted() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await Self.app(sandbox)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let digest = try #require(try await Self.marker(sandbox, "host1")["digest"] as? String)
            var swapped: [String] = []
            for host in ["host1", "host2"] {
                swapped.append(try await sandbox.exec(host, """
                    set -e; cd /srv/app; t=$(mktemp -d); echo 'version evil' >"$t/app.txt"
                    tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$t" -cf - app.txt | gzip -n >"$t/evil.tar.gz"
                    evil=$(sha256sum <"$t/evil.tar.gz"); evil=${evil%% *}
                    cp "$t/evil.tar.gz" ".deployer/artifacts/$evil.tar.gz" && chown -R deploy .deployer && rm -rf "$t"
                    sed -i "s/\(digest)/$evil/" current/.deployer-release.json
                    printf %s "$evil"
                    """))
            }
            let evil = try #require(swapped.first)
            #expect(Set(swapped).count == 1 && evil.count == 64, "\(swapped)")
            let promote = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(promote.status == 1, "\(promote.output)")
            #expect(promote.output.contains("with artifact sha256:\(evil)"), "\(promote.output)")
            #expect(promote.output.contains("builds sha256:\(digest)"), "\(promote.output)")
            #expect(promote.output.contains("on host1, host2"), "\(promote.output)")
            #expect(promote.output.contains("nothing was changed"), "\(promote.output)")
            for host in ["host3", "host4"] {
                #expect(try await sandbox.exec(host, "ls -A /srv/app 2>/dev/null || true") == "", "\(host)")
            }
        }
    }

    @Test func withoutTheCommitLocallyTheArtifactIsFetchedFromAStagingHostAndVerified() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await Self.app(sandbox)
            defer { app.remove() }
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let staging = try await Self.marker(sandbox, "host2")
            // The deployed commit disappears from this repository and from the artifact cache.
            try await app.git(["reset", "-q", "--hard", "HEAD~1"])
            try await app.git(["reflog", "expire", "--expire=now", "--all"])
            try await app.git(["gc", "-q", "--prune=now"])
            try? FileManager.default.removeItem(atPath: app.path + "/.cache")
            let refused = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("cannot build commit"), "\(refused.output)")
            #expect(refused.output.contains("--trust-source-artifact"), "\(refused.output)")
            #expect(try await sandbox.current("host3") == nil)
            let promote = try await sandbox.deployer(["promote", "staging", "prod", "--trust-source-artifact"], in: app.path)
            #expect(promote.status == 0, "\(promote.output)")
            // A warning event, so it reaches the terminal, JSON and the audit log like every other (it was a raw note on stderr).
            #expect(promote.output.contains("warning: trusting staging's copy of artifact sha256:"), "\(promote.output)")
            let log = try #require(promote.output.split(separator: "\n").first { $0.hasPrefix("log: ") }?.dropFirst(5))
            let audit = try String(contentsOfFile: String(log), encoding: .utf8)
            #expect(audit.contains("\"host_warning\"") && audit.contains("trusting staging's copy of artifact sha256:"), "\(audit)")
            let digest = staging["digest"] as? String ?? "?"
            #expect(FileManager.default.fileExists(atPath: app.path + "/.cache/deployer/artifacts/fetched-\(digest).tar.gz"))
            for host in ["host3", "host4"] {
                #expect(try await Self.marker(sandbox, host)["digest"] as? String == staging["digest"] as? String)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 2\n")
                #expect(try await sandbox.exists(host, "/srv/app/current/venv/built-from.txt"))
            }
        }
    }
}
