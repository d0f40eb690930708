import Foundation
import Testing

/// Rolling pushes against five real sshd hosts, each running a small HTTP
/// app from its release (on a Unix socket) whose health check is real.
@Suite(.serialized, .tags(.sandbox)) struct RollingTests {
    /// A web app in a git repository: `app.py` answers `/health` with 200,
    /// or 500 when the host has `shared/break-VERSION` for its own version,
    /// so a release can be made sick on chosen hosts only.
    struct App {
        let repository: AppRepository

        /// `roles` replaces the environment's `hosts:` (by default every host in role `web`).
        init(hosts: [String], rolling: String, health: String = Self.health, roles: String? = nil) async throws {
            repository = try await AppRepository(hosts: hosts)
            try repository.write("deploy.yml", """
                app: web
                source: { git: . }
                deploy_to: /srv/app
                keep_releases: 5
                shared: { dirs: [logs, pids] }
                environments:
                  staging:
                    hosts: \(roles ?? "{ web: [\(hosts.joined(separator: ", "))] }")
                    rolling: \(rolling)
                    health: \(health)
                tasks:
                  restart:
                    phase: after_switch
                    run: "sh {{current}}/restart {{shared}}"
                """)
            try repository.write("restart", """
                set -eu
                shared=$1
                release=$(cd "$(dirname "$0")" && pwd -P)
                pidfile="$shared/pids/app.pid"
                if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
                  kill "$(cat "$pidfile")"
                  for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
                fi
                rm -f "$shared/app.sock"
                setsid python3 "$release/app.py" "$shared" </dev/null >>"$shared/logs/app.out" 2>&1 &
                echo $! >"$pidfile"
                for _ in $(seq 1 50); do [ -S "$shared/app.sock" ] && exit 0; sleep 0.1; done
                echo "the app did not open its socket" >&2
                exit 1

                """)
            try writeApp(version: "1")
            try await repository.commit("version 1")
        }

        static let health = #"{ http: "http://localhost/health", unix_socket: "{{shared}}/app.sock", retries: 2, interval: 200ms, timeout: 2s }"#

        var path: String { repository.path }

        func writeApp(version: String) throws {
            try repository.write("app.py", """
                import http.server, os, socketserver, sys
                SHARED = sys.argv[1]
                RELEASE = os.path.basename(os.path.dirname(os.path.realpath(__file__)))
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        sick = os.path.exists(os.path.join(SHARED, "break-\(version)"))
                        body = ("sick " if sick else "ok ") + RELEASE + "\\n"
                        self.send_response(500 if sick else 200)
                        self.end_headers()
                        self.wfile.write(body.encode())
                    def log_message(self, *args):
                        pass
                    def address_string(self):
                        return "unix"
                class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
                    daemon_threads = True
                with Server(os.path.join(SHARED, "app.sock"), Handler) as server:
                    server.serve_forever()

                """)
        }

        /// Commits version `version` of the app.
        func newRevision(_ version: String) async throws {
            try writeApp(version: version)
            try await repository.commit("version \(version)")
        }
    }

    /// What `host`'s app answers on /health, e.g. `ok 20261129T034500Z-3f2a9c1`.
    static func health(_ sandbox: Sandbox, _ host: String) async throws -> String {
        try await sandbox.exec(host, "curl -sS --max-time 5 --unix-socket /srv/app/shared/app.sock http://localhost/health")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Pushes version 1 everywhere in one batch, then makes version 2 sick on `sick`; the release of version 1.
    static func deployedHealthy(_ sandbox: Sandbox, _ app: App, sick: [String]) async throws -> String {
        let first = try await sandbox.deployer(["push", "staging", "--batch", "100%"], in: app.path)
        #expect(first.status == 0, "\(first.output)")
        for host in sick { try await sandbox.exec(host, "touch /srv/app/shared/break-2") }
        try await app.newRevision("2")
        return try #require(try await sandbox.current("host1"))
    }

    @Test func healthyRollingPushInBatchesOfTwoAndOfFortyPercent() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2 }")
            defer { app.repository.remove() }
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            for line in ["batch 1/3 started: host1, host2", "batch 2/3 done: host3, host4", "batch 3/3 done: host5",
                         "host5 | health ok (attempt 1/3)"] {
                #expect(first.output.contains(line), "\(line)\n\(first.output)")
            }
            let release = try #require(try await sandbox.current("host1"))
            for host in sandbox.hosts { #expect(try await RollingTests.health(sandbox, host) == "ok \(release)") }

            try await app.newRevision("2")
            let second = try await sandbox.deployer(["push", "staging", "--batch", "40%"], in: app.path)
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("batch 2/3 started: host3, host4"), "\(second.output)")
            let release2 = try #require(try await sandbox.current("host5"))
            #expect(release2 != release)
            for host in sandbox.hosts { #expect(try await RollingTests.health(sandbox, host) == "ok \(release2)") }

            let again = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(again.status == 0)
            #expect(again.output.contains("already at \(release2)"), "\(again.output)")

            let back = try await sandbox.deployer(["rollback", "staging", "--batch", "3"], in: app.path)
            #expect(back.status == 0, "\(back.output)")
            #expect(back.output.contains("rollback batch 1/2 started: host1, host2, host3"), "\(back.output)")
            for host in sandbox.hosts { #expect(try await RollingTests.health(sandbox, host) == "ok \(release)") }
        }
    }

    @Test func aCanaryGoesFirst() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ canary: 1, batch: 2 }")
            defer { app.repository.remove() }
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 0, "\(run.output)")
            for line in ["batch 1/3 (canary) started: host1", "batch 2/3 started: host2, host3",
                         "batch 3/3 started: host4, host5"] {
                #expect(run.output.contains(line), "\(line)\n\(run.output)")
            }
        }
    }

    @Test func aFailingHealthCheckOnTheThirdHostRollsBackItsBatchAndTheEarlierOnes() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2 }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: ["host3"])
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 1, "\(run.output)")
            #expect(!run.output.contains("stderr:"), "the body is labelled as the body:\n\(run.output)")
            for line in ["host3 | health attempt 3/3 failed: HTTP status 500, expected 200; body: sick 2",
                         "batch 2/3 FAILED on host3 (of host3, host4)", "switching back batch 2/3 started: host3, host4",
                         "switching back batch 1/3 started: host1, host2", "later batches never switched (host5)"] {
                #expect(run.output.contains(line), "\(line)\n\(run.output)")
            }
            #expect(run.output.range(of: "switching back batch 2/3")!.lowerBound
                    < run.output.range(of: "switching back batch 1/3")!.lowerBound)
            #expect(!run.output.contains("batch 3/3 started"))
            #expect(!run.output.contains("host5 | switched"))
            // The summary table: host → release → result.
            #expect(run.output.range(of: #"host3\s+\#(before)\s+failed \(switch, exit 1\)"#, options: .regularExpression) != nil,
                    "\(run.output)")
            #expect(run.output.range(of: #"host1\s+\#(before)\s+reverted"#, options: .regularExpression) != nil)
            #expect(run.output.range(of: #"host5\s+\#(before)\s+unchanged"#, options: .regularExpression) != nil)
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == before, "\(host)")
                #expect(try await RollingTests.health(sandbox, host) == "ok \(before)", "\(host)")
                #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"))
            }
        }
    }

    @Test func maxFailuresOfOneToleratesOneBadHost() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, max_failures: 1 }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: ["host3"])
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("every batch ran; host3 failed, within max_failures 1"), "\(run.output)")
            let release = try #require(try await sandbox.current("host5"))
            #expect(release != before)
            for host in ["host1", "host2", "host4", "host5"] {
                #expect(try await RollingTests.health(sandbox, host) == "ok \(release)")
            }
            #expect(try await RollingTests.health(sandbox, "host3") == "sick \(release)")
        }
    }

    /// A host whose health check failed after the switch (within max_failures) runs the release
    /// unfinished: the next push of the same revision is no no-op. It redoes that host only, keeping its
    /// release directory (not rebuilt): after_switch tasks and the health check run again; the hosts
    /// that finished are left alone.
    @Test func aHostWhoseHealthCheckFailedIsRedoneByTheNextPushOfTheSameRevision() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, max_failures: 1 }")
            defer { app.repository.remove() }
            _ = try await RollingTests.deployedHealthy(sandbox, app, sick: ["host2"])
            let faulted = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(faulted.status == 1 && faulted.output.contains("host2 failed, within max_failures 1"), "\(faulted.output)")
            let release = try #require(try await sandbox.current("host1"))
            #expect(try await sandbox.current("host2") == release)
            #expect(try await RollingTests.health(sandbox, "host2") == "sick \(release)")
            let directory = "/srv/app/releases/\(release)"
            let inode = try await sandbox.exec("host2", "stat -c %i \(directory)")
            let pid = try await sandbox.exec("host2", "cat /srv/app/shared/pids/app.pid")

            try await sandbox.exec("host2", "rm /srv/app/shared/break-2")
            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.output.contains("runs \(release) unfinished (a run failed or died after its switch) -> \(release) again"),
                    "\(plan.output)")
            let recovery = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(recovery.status == 0, "\(recovery.output)")
            #expect(recovery.output.contains("host1, host3 already run \(release): left alone"), "\(recovery.output)")
            #expect(try await sandbox.current("host2") == release)
            #expect(try await sandbox.exec("host2", "stat -c %i \(directory)") == inode, "the release was rebuilt")
            #expect(try await sandbox.exec("host2", "cat /srv/app/shared/pids/app.pid") != pid, "host2's restart did not run again")
            #expect(try await RollingTests.health(sandbox, "host2") == "ok \(release)")
            let history = try await sandbox.exec("host2", "tail -n 1 /srv/app/.deployer/history.jsonl")
            #expect(history.contains("\"result\":\"succeeded\"") && history.contains(release), "\(history)")
            for host in ["host1", "host3"] {
                #expect(try await sandbox.exec(host, "tail -n 1 /srv/app/.deployer/history.jsonl").contains("\"result\":\"failed\""),
                        "\(host) was touched by the recovery push")
            }
            let again = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(again.status == 0 && again.output.contains("already at \(release)"), "\(again.output)")
        }
    }

    @Test func haltLeavesAReportedSplit() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, on_failure: halt }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: ["host3"])
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 1, "\(run.output)")
            let release = try #require(try await sandbox.current("host1"))
            #expect(run.output.contains("halted after batch 2/3 (on_failure: halt)"), "\(run.output)")
            #expect(run.output.contains("now: host1, host2, host3, host4: \(release); host5: \(before)"), "\(run.output)")
            for host in ["host1", "host2", "host3", "host4"] { #expect(try await sandbox.current(host) == release) }
            #expect(try await sandbox.current("host5") == before)
            #expect(try await !sandbox.exists("host4", "/srv/app/.deployer/lock"))
        }
    }

    @Test func aHostWhoseSSHDIsKilledMidBatchFailsAndTheOthersGoBack() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let drain = #"drain: "if [ {{host}} = host3 ] && [ -e {{shared}}/break-2 ]; then touch /srv/draining; sleep 30; fi""#
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, \(drain) }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: ["host3"])
            let process = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: sandbox.sshConfig)
            try await waitFor(seconds: 60) { try await sandbox.exists("host3", "/srv/draining") }
            // The app outlives host3's sshd (it runs detached): stop it by its process id once done.
            let appPID = try await sandbox.exec("host3", "cat /srv/app/shared/pids/app.pid")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            defer { if let pid = pid_t(appPID) { kill(pid, SIGKILL) } }
            try await sandbox.killSSHD("host3")
            let run = await process.wait()
            #expect(run.status == 4, "\(run.output)")
            #expect(run.output.contains("host3: unknown (lost during its batch; last seen on \(before))"), "\(run.output)")
            #expect(run.output.contains("batch 2/3 FAILED on host3"), "\(run.output)")
            for host in ["host1", "host2", "host4", "host5"] {
                #expect(try await sandbox.current(host) == before, "\(host)")
                #expect(try await RollingTests.health(sandbox, host) == "ok \(before)")
            }
        }
    }

    @Test func drainAndUndrainHooksRunInOrder() async throws {
        let log = NSTemporaryDirectory() + "deployer-hooks-" + UUID().uuidString
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: log)
        defer { try? FileManager.default.removeItem(atPath: log) }
        try await Sandbox.with(hosts: 5) { sandbox in
            let hooks = "drain: \"echo drain {{host}} >> \(log)\", undrain: \"echo undrain {{host}} >> \(log)\""
            let app = try await App(hosts: sandbox.hosts, rolling: "{ canary: 1, batch: 2, \(hooks) }")
            defer { app.repository.remove() }
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 0, "\(run.output)")
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 10, "\(lines)")
            #expect(Array(lines.prefix(2)) == ["drain host1", "undrain host1"])
            for (range, hosts) in [(2..<6, ["host2", "host3"]), (6..<10, ["host4", "host5"])] {
                let batch = Array(lines[range])
                #expect(Set(batch) == Set(hosts.flatMap { ["drain \($0)", "undrain \($0)"] }), "\(lines)")
                for host in hosts { #expect(batch.firstIndex(of: "drain \(host)")! < batch.firstIndex(of: "undrain \(host)")!) }
            }
            #expect(run.output.contains("host1 | drain hook ok"), "\(run.output)")
        }
    }

    /// A file on the controller that sandbox hosts (user `deploy`) can append to too; removed by `body`'s caller.
    static func sharedLog() throws -> String {
        let log = NSTemporaryDirectory() + "deployer-hooks-" + UUID().uuidString
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: log)
        return log
    }

    @Test func hooksOnTheControllerRunAroundEachHostInBatchOrder() async throws {
        let log = try RollingTests.sharedLog()
        defer { try? FileManager.default.removeItem(atPath: log) }
        try await Sandbox.with(hosts: 5) { sandbox in
            let hooks = "drain: { run: \"echo drain {{host}} $(id -un) >> \(log)\", on: controller }, "
                + "undrain: { run: \"echo undrain {{host}} >> \(log)\", on: controller }"
            let app = try await App(hosts: sandbox.hosts, rolling: "{ canary: 1, batch: 2, \(hooks) }")
            defer { app.repository.remove() }
            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.output.contains("switch: each host: drain on controller, switch, after_switch, health, undrain on controller"),
                    "\(plan.output)")
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 0, "\(run.output)")
            // The controller runs the hooks as the user running deployer, not as the hosts' login user.
            let user = NSUserName()
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 10, "\(lines)")
            #expect(Array(lines.prefix(2)) == ["drain host1 \(user)", "undrain host1"])
            for (range, hosts) in [(2..<6, ["host2", "host3"]), (6..<10, ["host4", "host5"])] {
                let batch = Array(lines[range])
                #expect(Set(batch) == Set(hosts.flatMap { ["drain \($0) \(user)", "undrain \($0)"] }), "\(lines)")
            }
            // On each host: drain, then its switch and health check, then undrain.
            for host in sandbox.hosts {
                let order = ["\(host) | drain hook on controller ok", "\(host) | switched to", "\(host) | health ok",
                             "\(host) | undrain hook on controller ok"]
                    .map { run.output.range(of: $0)?.lowerBound }
                #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "\(run.output)")
            }
        }
    }

    @Test func hooksOnAnotherHostActingAsTheLoadBalancer() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let web = Array(sandbox.hosts.prefix(4))
            let hooks = "drain: { run: \"echo drain {{host}} >> /srv/lb.log\", on: host5 }, "
                + "undrain: { run: \"echo undrain {{host}} >> /srv/lb.log\", on: host5 }"
            let app = try await App(hosts: web, rolling: "{ batch: 2, \(hooks) }")
            defer { app.repository.remove() }
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 0, "\(run.output)")
            let lines = try await sandbox.exec("host5", "cat /srv/lb.log").split(separator: "\n").map(String.init)
            #expect(lines.count == 8, "\(lines)")
            #expect(run.output.contains("host1 | drain hook on host5 ok"), "\(run.output)")
            for (range, hosts) in [(0..<4, ["host1", "host2"]), (4..<8, ["host3", "host4"])] {
                let batch = Array(lines[range])
                #expect(Set(batch) == Set(hosts.flatMap { ["drain \($0)", "undrain \($0)"] }), "\(lines)")
                for host in hosts { #expect(batch.firstIndex(of: "drain \(host)")! < batch.firstIndex(of: "undrain \(host)")!) }
            }
            // host5 is only a hook target: nothing was deployed there, and the hooks ran nowhere else.
            #expect(try await !sandbox.exists("host5", "/srv/app"))
            for host in web { #expect(try await !sandbox.exists(host, "/srv/lb.log")) }
            let release = try #require(try await sandbox.current("host1"))
            for host in web { #expect(try await RollingTests.health(sandbox, host) == "ok \(release)") }
        }
    }

    @Test func aFailingDrainHookOnTheControllerFailsTheHostAndTheBatchesGoBack() async throws {
        let refuse = NSTemporaryDirectory() + "deployer-refuse-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: refuse) }
        try await Sandbox.with(hosts: 5) { sandbox in
            let drain = "if [ {{host}} = host3 ] && [ -e \(refuse) ]; then echo lb refused {{host}}; exit 3; fi"
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, drain: { run: \"\(drain)\", on: controller } }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: [])
            try "".write(toFile: refuse, atomically: true, encoding: .utf8)
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 1, "\(run.output)")
            for line in ["host3: switch failed with exit status 3: drain hook on controller", "lb refused host3",
                         "batch 2/3 FAILED on host3 (of host3, host4)",
                         // host3 never switched: only host4 of its batch goes back.
                         "switching back batch 2/3 started: host4\n",
                         "switching back batch 1/3 started: host1, host2", "later batches never switched (host5)"] {
                #expect(run.output.contains(line), "\(line)\n\(run.output)")
            }
            #expect(!run.output.contains("host3 | switched"), "\(run.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == before, "\(host)")
                #expect(try await RollingTests.health(sandbox, host) == "ok \(before)", "\(host)")
            }
        }
    }

    /// Role `web` has a check that passes, role `api` one that fails; the environment's (failing) check applies to neither.
    @Test func eachRoleUsesItsOwnHealthCheck() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let passes = #"{ run: "curl -fsS --unix-socket {{shared}}/app.sock http://localhost/health", retries: 0 }"#
            let fails = #"{ run: "echo api not ready; exit 4", retries: 0 }"#
            let roles = "{ web: { hosts: [host1, host2, host3], health: \(passes) }, api: { hosts: [host4, host5], health: \(fails) } }"
            let app = try await App(hosts: sandbox.hosts, rolling: "{ max_failures: 2 }", health: #"{ run: "false", retries: 0 }"#,
                                    roles: roles)
            defer { app.repository.remove() }
            let plan = try await sandbox.deployer(["plan", "staging", "--offline"], in: app.path)
            #expect(plan.output.contains("health (roles web, api: their own; others: the environment's)"), "\(plan.output)")
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 1, "\(run.output)")
            for line in ["host1 | health ok (attempt 1/1)", "host3 | health ok (attempt 1/1)", "host4 | health attempt 1/1 failed: exit status 4; output: api not ready", "every batch ran; host4, host5 failed, within max_failures 2"] {
                #expect(run.output.contains(line), "\(line)\n\(run.output)")
            }
        }
    }

    @Test func ctrlCBetweenBatchesStartsNoOtherBatch() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let app = try await App(hosts: sandbox.hosts, rolling: "{ batch: 2, pause: 60s }")
            defer { app.repository.remove() }
            let before = try await RollingTests.deployedHealthy(sandbox, app, sick: [])
            let process = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: sandbox.sshConfig)
            try await waitFor(seconds: 60) { process.output.contains("batch 1/3 done") }
            process.interrupt()
            let run = await process.wait()
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("stopped by SIGINT after batch 1/3; later batches never switched (host3, host4, host5)"),
                    "\(run.output)")
            let release = try #require(try await sandbox.current("host1"))
            #expect(release != before)
            #expect(try await sandbox.current("host2") == release)
            for host in ["host3", "host4", "host5"] { #expect(try await sandbox.current(host) == before) }
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock")) }
        }
    }
}
