import DeployerModel
import Foundation
import Testing

/// `deployer push` against three real sshd hosts sharing `deploy_to: /srv/app`.
@Suite(.tags(.sandbox)) struct PushTests {
    @Test(arguments: SSHTransportKind.allCases)
    func firstPushNoOpNewRevisionSharedFilesAndEnvs(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let release = try #require(try await sandbox.current("host1"))
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/app.txt") == "version 1\n")
                #expect(try await sandbox.exists(host, "/srv/app/current/.deployer-release.json"))
                #expect(try await sandbox.exists(host, "/srv/app/shared/restarted"))
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
            #expect(first.output.contains("env venv built"))

            let again = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(again.status == 0)
            #expect(again.output.contains("already at \(release)"), "\(again.output)")
            #expect(try await sandbox.exec("host2", "ls /srv/app/releases").split(separator: "\n").count == 1)

            try await app.newRevision("2")
            let second = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("env venv reused"))
            #expect(try await sandbox.current("host1") != release)
            #expect(try await sandbox.exec("host2", "cat /srv/app/current/app.txt") == "version 2\n")
            #expect(try await sandbox.exists("host2", "/srv/app/current/logs/"), "a shared dir is linked")
            #expect(second.output.contains("upload ok"))

            try app.write("requirements.txt", "flask==3.1\n")
            try await app.commit("new requirements")
            let third = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(third.status == 0, "\(third.output)")
            #expect(third.output.contains("env venv built"))
            #expect(try await sandbox.exec("host3", "cat /srv/app/current/venv/built-from.txt") == "flask==3.1\n")
            #expect(try await sandbox.exec("host3", "ls /srv/app/envs").split(separator: "\n").count == 2)
            try await sandbox.expectNothingLeftBehind()
        }
    }

    @Test func forceMakesANewReleaseAndPruneKeepsTheNewest() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, keepReleases: 2)
            defer { app.remove() }
            var releases: [String] = []
            for round in 1...4 {
                if round > 1 { try await app.newRevision(String(round)) }
                let push = try await sandbox.deployer(["push", "staging"], in: app.path)
                #expect(push.status == 0, "\(push.output)")
                releases.append(try #require(try await sandbox.current("host1")))
                try await Task.sleep(for: .milliseconds(1100))
            }
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "ls /srv/app/releases").split(separator: "\n").map(String.init)
                        == Array(releases.suffix(2)))
            }
            let forced = try await sandbox.deployer(["push", "staging", "--force"], in: app.path)
            #expect(forced.status == 0)
            #expect(try await sandbox.current("host1") != releases.last)
        }
    }

    @Test func aDirtyWorkTreeIsRefusedNamingTheFiles() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try app.write("app.txt", "uncommitted\n")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 2)
            #expect(refused.output.contains("app.txt"))
            #expect(try await sandbox.current("host1") == nil)
            let allowed = try await sandbox.deployer(["push", "staging", "--allow-dirty"], in: app.path)
            #expect(allowed.status == 0, "\(allowed.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/app.txt") == "version 1\n")
        }
    }

    @Test func aTaskFailingOnOneHostSwitchesNoHost() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  check:
                    phase: prepare
                    run: "if [ -e /srv/fail-check ]; then echo config is broken >&2; exit 7; fi"
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let before = try await sandbox.current("host1")
            try await sandbox.exec("host2", "touch /srv/fail-check")
            try await app.newRevision("2")
            let failed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(failed.status == 1)
            #expect(failed.output.contains("host2: prepare task 'check' failed with exit status 7"), "\(failed.output)")
            #expect(failed.output.contains("config is broken"))
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == before)
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
            try await sandbox.exec("host2", "rm /srv/fail-check")
            let retry = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(retry.status == 0, "\(retry.output)")
            #expect(retry.output.contains("upload skipped"), "a retried push re-uses the uploaded artifact")
        }
    }

    @Test(arguments: SSHTransportKind.allCases)
    func aHostWhoseSSHDIsKilledDuringPrepareSwitchesNoHost(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  slow:
                    phase: prepare
                    run: "touch /srv/preparing; sleep 4"
                """)
            defer { app.remove() }
            try await sandbox.exec("host1", "true")
            let process = try sandbox.start(["push", "staging"], in: app.path)
            try await waitFor { try await sandbox.exists("host2", "/srv/preparing") }
            try await sandbox.killSSHD("host2")
            let run = await process.wait()
            #expect(run.status == 4, "\(run.output)")
            #expect(run.output.contains("host2"))
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == nil) }
            #expect(try await !sandbox.exists("host1", "/srv/app/.deployer/lock"))
            #expect(try await !sandbox.exists("host3", "/srv/app/.deployer/lock"))
        }
    }

    @Test(arguments: SSHTransportKind.allCases)
    func ctrlCDuringPrepareSwitchesNoHostAndUnlocks(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  slow:
                    phase: prepare
                    run: "if [ -e /srv/slow ]; then touch /srv/preparing; sleep 3; fi"
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let before = try await sandbox.current("host1")
            for host in sandbox.hosts { try await sandbox.exec(host, "touch /srv/slow") }
            try await app.newRevision("2")
            let process = try sandbox.start(["push", "staging"], in: app.path)
            try await waitFor { try await sandbox.exists("host1", "/srv/preparing") }
            process.interrupt()
            let run = await process.wait()
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("no host switched"))
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == before)
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
            // No ssh master, socket or directory outlives the interrupted run.
            try await sandbox.expectNothingLeftBehind()
        }
    }

    @Test func ctrlCDuringTheSwitchCompletesItEverywhere() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  reload:
                    phase: after_switch
                    run: "touch /srv/switching; sleep 3"
                """)
            defer { app.remove() }
            let process = try sandbox.start(["push", "staging"], in: app.path)
            try await waitFor { try await sandbox.exists("host3", "/srv/switching") }
            process.interrupt()
            let run = await process.wait()
            #expect(run.status == 1, "\(run.output)")
            let release = try await sandbox.current("host1")
            #expect(release != nil)
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
        }
    }
}

/// Polls `condition` every 50 ms for up to `seconds`.
func waitFor(seconds: Double = 20, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw SandboxError("condition not met within \(seconds) s")
}
