import Foundation
import Testing

/// `deployer task ENV NAME` on real hosts: one task of the recipe, run against the release each of
/// its hosts runs, under their lock, its output shown (secrets masked) and each run in the hosts' history.
@Suite(.tags(.sandbox)) struct TaskCommandTests {
    static let secret = "t0ken-Value"

    /// host1-3 serve the web, host4 the database; `restart` is for the web hosts, `migrate` runs once.
    static let recipe = """
        app: demo
        source: { git: . }
        deploy_to: /srv/app
        secrets: [API_TOKEN]
        environments:
          staging:
            hosts: { web: [host1, host2, host3], db: [host4] }
        tasks:
          restart:
            phase: after_switch
            roles: [web]
            env: { TOKEN: "{{ API_TOKEN }}" }
            run: echo restarting {{ release_id }} on {{ host }} with $TOKEN && echo x >> {{ shared }}/restarts
          migrate:
            phase: before_switch
            roles: [web]
            once: true
            run: echo migrated {{ release_id }} >> {{ shared }}/migrations
          assets:
            phase: prepare
            run: "true"
        """

    @Test func aTaskRunsOnItsRolesHostsInTheirCurrentRelease() async throws {
        try await withRecipeApp { sandbox, app, deployer in
            func restarts(_ host: String) async throws -> Int {
                try await sandbox.exec(host, "cat /srv/app/shared/restarts 2>/dev/null || true").split(separator: "\n").count
            }
            // host3 gets no release: a host a task finds without one fails, saying what to do.
            let pushed = try await deployer(["push", "staging", "--hosts", "host1,host2,host4"])
            #expect(pushed.status == 0, "\(pushed.output)")
            let release = try #require(try await sandbox.current("host1"))
            #expect(try await restarts("host1") == 1)

            let log = app.path + ".audit.jsonl"
            defer { try? FileManager.default.removeItem(atPath: log) }
            let ran = try await deployer(["task", "staging", "restart", "--format", "plain", "--log-file", log])
            #expect(ran.status == 1, "\(ran.output)")
            #expect(ran.output.contains("restarting \(release) on host1 with ****"), "\(ran.output)")
            #expect(ran.output.contains("restarting \(release) on host2 with ****"), "\(ran.output)")
            #expect(ran.output.contains("no release is current on host3"), "\(ran.output)")
            #expect(ran.output.range(of: #"host1 +\#(release) +ran restart"#, options: .regularExpression) != nil,
                    "the summary table says what each host did: \(ran.output)")
            #expect(ran.output.contains("deployer push staging --hosts host3"), "\(ran.output)")
            #expect(!ran.output.contains("host4"), "a db host does not run a web task: \(ran.output)")
            #expect(!ran.output.contains(Self.secret))
            let audit = try String(contentsOfFile: log, encoding: .utf8)
            #expect(audit.contains("\"stream\":\"combined\"") && audit.contains("with ****") && !audit.contains(Self.secret))
            for host in ["host1", "host2"] {
                #expect(try await restarts(host) == 2)
                let history = try await sandbox.exec(host, "tail -n 1 /srv/app/.deployer/history.jsonl")
                #expect(history.contains("\"action\":\"task\"") && history.contains("\"detail\":\"task restart\"")
                        && history.contains("\"result\":\"succeeded\"") && history.contains(release), "\(history)")
                #expect(try await sandbox.exec(host, "cat /srv/app/.deployer/tasks/restart.log").contains("with \(Self.secret)") == false)
            }
            #expect(try await !sandbox.exec("host4", "cat /srv/app/.deployer/history.jsonl").contains("\"task\""))
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock")) }

            // Only the hosts named; JSON events like `run`'s.
            let limited = try await deployer(["task", "staging", "restart", "--hosts", "host2", "--format", "json"])
            #expect(limited.status == 0, "\(limited.output)")
            #expect(limited.output.contains("\"type\":\"command_output\",") && limited.output.contains("\"action\":\"task\""),
                    "\(limited.output)")
            #expect(limited.output.contains("limited to 1 of 4 hosts (host2)"), "\(limited.output)")
            #expect(try await restarts("host1") == 2)
            #expect(try await restarts("host2") == 3)

            // A once task: on the first host of its roles.
            let migrated = try await deployer(["task", "staging", "migrate"])
            #expect(migrated.status == 0, "\(migrated.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/migrations") == String(repeating: "migrated \(release)\n", count: 2),
                    "the push's migration, then the task's")
            for host in ["host2", "host3", "host4"] { #expect(try await !sandbox.exists(host, "/srv/app/shared/migrations")) }
        }
    }

    @Test func aTaskWaitsForNoOtherRunAndRefusesWhatMakesNoSense() async throws {
        try await withRecipeApp { sandbox, app, deployer in
            #expect(try await deployer(["push", "staging"]).status == 0)

            let unknown = try await deployer(["task", "staging", "restrat"])
            #expect(unknown.status == 2)
            #expect(unknown.output.contains("the recipe has no task 'restrat'; did you mean 'restart'?"), "\(unknown.output)")
            #expect(unknown.output.contains("can run in 'staging': migrate, restart\n"), "the tasks it can run are listed, not the prepare task: \(unknown.output)")
            let prepare = try await deployer(["task", "staging", "assets"])
            #expect(prepare.status == 2)
            #expect(prepare.output.contains("deploy.yml:19:3: error: task 'assets' is a prepare task"), "the task's place in the recipe: \(prepare.output)")
            let noHost = try await deployer(["task", "staging", "restart", "--roles", "db"])
            #expect(noHost.status == 2 && noHost.output.contains("none of these hosts"), "\(noHost.output)")

            // Another run holds host2's lock: nothing runs (exit 3), and its lock is left alone.
            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && echo other-run > /srv/app/.deployer/lock/run "
                + "&& date +%s > /srv/app/.deployer/lock/heartbeat && chown -R deploy /srv/app")
            let held = try await deployer(["task", "staging", "restart"])
            #expect(held.status == 3, "\(held.output)")
            #expect(held.output.contains("host2 is locked"), "\(held.output)")
            for host in ["host1", "host2", "host3"] {
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/restarts").split(separator: "\n").count == 1)
            }
            #expect(try await !sandbox.exists("host1", "/srv/app/.deployer/lock"))
            #expect(try await sandbox.exec("host2", "cat /srv/app/.deployer/lock/run") == "other-run\n")
            // Limited to other hosts, the task goes ahead.
            let beside = try await deployer(["task", "staging", "restart", "--hosts", "host1,host3"])
            #expect(beside.status == 0, "\(beside.output)")
            #expect(try await sandbox.exec("host3", "cat /srv/app/shared/restarts").split(separator: "\n").count == 2)
        }
    }

    /// Four sandbox hosts and the app with `recipe`; `body` gets a `deployer` that runs with the
    /// recipe's secret in the environment.
    private func withRecipeApp(_ body: (Sandbox, AppRepository, _ deployer: ([String]) async throws -> DeployerRun) async throws
                                   -> Void) async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try app.write("deploy.yml", Self.recipe)
            try await app.commit("web and db")
            let token: [String: String?] = ["API_TOKEN": Self.secret]
            try await body(sandbox, app) { try await sandbox.deployer($0, in: app.path, environment: token) }
        }
    }
}
