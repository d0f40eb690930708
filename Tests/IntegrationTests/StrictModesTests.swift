import Foundation
import Testing

/// A host someone else can write to (docs/security.md, "Who may write to deploy_to"): a
/// compromised host or a shared `deploy_to` is simulated by writing into the host's files as
/// root, as another user would have.
@Suite(.tags(.sandbox)) struct StrictModesTests {
    /// `deploy_to` writable by others, or `.deployer` owned by another user: the push fails on that
    /// host with the path, owner, mode and fix, before any host is locked or given a release.
    @Test func aDeployToOthersCanWriteFailsTheHostBeforeAnythingChanges() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let cases = [
                ("mkdir -p /srv/app && chown deploy /srv/app && chmod 777 /srv/app",
                 "/srv/app is group- or world-writable (mode 777, owner deploy)", "chmod go-w /srv/app"),
                ("mkdir -p /srv/app/.deployer && chown deploy /srv/app && chown nobody /srv/app/.deployer && chmod 777 /srv/app/.deployer",
                 "/srv/app/.deployer is owned by nobody, not by the login user deploy (mode 777)", "chown deploy /srv/app/.deployer"),
                ("mkdir -p /srv/app/releases && chown -R deploy /srv/app && chmod 2775 /srv/app/releases",
                 "/srv/app/releases is group- or world-writable (mode 2775, owner deploy)", "chmod go-w /srv/app/releases"),
            ]
            for (setup, problem, fix) in cases {
                _ = try await sandbox.exec("host2", "rm -rf /srv/app && " + setup)
                let push = try await sandbox.deployer(["push", "staging"], in: app.path)
                #expect(push.status == 1, "\(push.output)")
                #expect(push.output.contains("host2: lock failed with exit status 1: " + problem), "\(push.output)")
                #expect(push.output.contains(fix), "\(push.output)")
                for host in sandbox.hosts {
                    #expect(try await sandbox.exec(host, "ls /srv/app/releases 2>/dev/null; ls /srv/app/.deployer/lock 2>/dev/null") == "",
                            "\(host) was changed")
                }
                #expect(try await sandbox.deployer(["rollback", "staging"], in: app.path).output.contains(problem))
            }
            _ = try await sandbox.exec("host2", "rm -rf /srv/app")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let modes = try await sandbox.exec("host2", "stat -c '%a %n' /srv/app /srv/app/.deployer /srv/app/releases")
            #expect(modes == "755 /srv/app\n755 /srv/app/.deployer\n755 /srv/app/releases\n")
        }
    }

    /// Links planted inside `.deployer/` are never written through: the host fails, the target is intact.
    @Test func aSymbolicLinkPlantedInDotDeployerFailsTheHost() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            for planted in ["history.jsonl", "extract.log", "artifacts/incoming.deployer-upload.1"] {
                _ = try await sandbox.exec("host1", """
                    printf 'precious\\n' > /srv/victim && chown deploy /srv/victim \
                    && rm -f /srv/app/.deployer/\(planted) && ln -s /srv/victim /srv/app/.deployer/\(planted)
                    """)
                try await app.newRevision(planted)
                let push = try await sandbox.deployer(["push", "staging"], in: app.path)
                #expect(push.status == 1, "\(push.output)")
                #expect(push.output.contains("/srv/app/.deployer/\(planted) is a symbolic link, which deployer never makes"), "\(push.output)")
                #expect(try await sandbox.exec("host1", "cat /srv/victim") == "precious\n")
                let unlock = try await sandbox.deployer(["unlock", "staging", "--yes"], in: app.path)
                #expect(unlock.status != 0, "\(unlock.output)")
                #expect(try await sandbox.exec("host1", "cat /srv/victim") == "precious\n")
                _ = try await sandbox.exec("host1", "rm /srv/app/.deployer/\(planted)")
            }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
        }
    }

    /// Locks deployer did not make in its shape are held (a push waits or stops with exit 3) but
    /// stale: `--break-stale-lock` takes them over, and nothing they point at is read or written.
    @Test func forgedLocksAreBrokenWithBreakStaleLock() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let lock = "/srv/app/.deployer/lock"
            let forged = [
                "a heartbeat in the future": "mkdir \(lock) && echo 99999999999 > \(lock)/heartbeat",
                "a heartbeat that is no number": "mkdir \(lock) && echo 'x-1' > \(lock)/heartbeat",
                "a lease of ten years": "mkdir \(lock) && echo $(( $(date +%s) - 200000 )) > \(lock)/heartbeat && echo 315360000 > \(lock)/ttl",
                "a FIFO for a heartbeat": "mkdir \(lock) && mkfifo \(lock)/heartbeat \(lock)/ttl \(lock)/info.json",
                "a file": "echo held > \(lock)",
                "a link to a fresh directory": "mkdir -p /srv/fresh && date +%s > /srv/fresh/heartbeat && ln -s /srv/fresh \(lock)",
            ]
            for (name, plant) in forged.sorted(by: { $0.key < $1.key }) {
                _ = try await sandbox.exec("host1", "rm -rf \(lock) && " + plant + " && chown -h deploy \(lock)")
                let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
                #expect(refused.status == 3, "\(name): \(refused.output)")
                let status = try await sandbox.deployer(["status", "staging"], in: app.path)
                #expect(status.output.contains("stale"), "\(name): \(status.output)")
                try await app.newRevision(name)
                let taken = try await sandbox.deployer(["push", "staging", "--break-stale-lock"], in: app.path)
                #expect(taken.status == 0, "\(name): \(taken.output)")
                #expect(try await !sandbox.exists("host1", lock), "\(name)")
            }
            #expect(try await sandbox.exec("host1", "cat /srv/fresh/heartbeat").count > 5, "the link's target was touched")
            _ = try await sandbox.exec("host1", "echo held > \(lock) && chown deploy \(lock)")
            #expect(try await sandbox.deployer(["unlock", "staging", "--yes"], in: app.path).status == 0)
            #expect(try await !sandbox.exists("host1", lock))
        }
    }
}
