import DeployerModel
import Foundation
import Testing

/// `deployer plan` and `deployer push --plan` against real sshd hosts: the
/// plan changes nothing, and says exactly which steps the push then runs.
@Suite(.serialized, .tags(.sandbox)) struct PlanTests {
    /// A fingerprint of everything under `/srv/app` on `host`: every path with
    /// its type, size, mode, mtime and link target, and every file's contents
    /// (the lock and the history included).
    static func treeHash(_ sandbox: Sandbox, _ host: String) async throws -> String {
        try await sandbox.exec(host, "cd /srv/app 2>/dev/null || { echo none; exit 0; }; "
            + "find . -printf '%p %y %s %m %T@ %l\\n' | sort | sha256sum; "
            + "find . -type f -exec sha256sum {} + | sort | sha256sum")
    }

    /// `HOST upload` and `HOST PHASE/TASK` for each step a plan's JSON says would run.
    static func plannedRuns(_ json: String) throws -> Set<String> {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var runs = Set<String>()
        for host in plan["hosts"] as? [[String: Any]] ?? [] {
            let name = host["name"] as? String ?? "?"
            for step in host["steps"] as? [[String: Any]] ?? [] where step["action"] as? String == "run" {
                let phase = step["phase"] as? String
                runs.insert("\(name) " + (phase.map { $0 + "/" } ?? "") + (step["name"] as? String ?? "?"))
            }
        }
        return runs
    }

    /// The same, from the JSON events of a push: uploads started and tasks started.
    static func pushedRuns(_ output: String) -> Set<String> {
        var runs = Set<String>()
        for line in output.split(separator: "\n") {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let host = event["host"] as? String else { continue }
            switch event["type"] as? String {
            case "step_started" where event["step"] as? String == "upload": runs.insert("\(host) upload")
            case "task_started": runs.insert("\(host) \(event["phase"] as? String ?? "?")/\(event["task"] as? String ?? "?")")
            default: break
            }
        }
        return runs
    }

    static let guardedTask = """
          seed:
            phase: prepare
            creates: "{{shared}}/seeded"
            run: touch {{shared}}/seeded
        """

    @Test(arguments: SSHTransportKind.allCases)
    func planChangesNothingOnAnyHost(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: Self.guardedTask)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await app.newRevision("2")
            try await sandbox.exec("host2", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            var before: [String] = []
            for host in sandbox.hosts { before.append(try await Self.treeHash(sandbox, host)) }
            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("3 hosts would change; nothing has been changed"), "\(plan.output)")
            #expect(plan.output.contains("blocked: host2 is locked"), "\(plan.output)")
            let json = try await sandbox.deployer(["plan", "staging", "--format", "json"], in: app.path)
            #expect(json.status == 0)
            var after: [String] = []
            for host in sandbox.hosts { after.append(try await Self.treeHash(sandbox, host)) }
            #expect(before == after)
        }
    }

    @Test func offlineContactsNoHostAndShowsUnknown() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: Self.guardedTask)
            defer { app.remove() }
            try await sandbox.killSSHD("host1")
            let plan = try await sandbox.deployer(["plan", "staging", "--offline", "--detailed-exitcode"], in: app.path)
            #expect(plan.status == 10, "\(plan.output)")
            #expect(plan.output.contains("unknown prepare       seed"), "\(plan.output)")
            #expect(plan.output.contains("offline"))
        }
    }

    /// Plan vs reality: for each scenario the steps the plan says will run
    /// are exactly those the push then runs, host by host.
    @Test(arguments: SSHTransportKind.allCases)
    func thePushRunsExactlyThePlannedSteps(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: Self.guardedTask)
            defer { app.remove() }
            func planThenPush(_ scenario: String, expectChanges: Bool = true) async throws {
                let plan = try await sandbox.deployer(["plan", "staging", "--format", "json", "--detailed-exitcode"],
                                                      in: app.path)
                #expect(plan.status == (expectChanges ? 10 : 0), "\(scenario): \(plan.output)")
                let push = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
                #expect(push.status == 0, "\(scenario): \(push.output)")
                let planned = try Self.plannedRuns(plan.output)
                #expect(planned == Self.pushedRuns(push.output), "\(scenario)")
                try await Task.sleep(for: .milliseconds(1100))
            }
            // Fresh hosts: everything runs.
            try await planThenPush("fresh hosts")
            let first = try #require(try await sandbox.current("host1"))
            // Nothing changed: nothing runs.
            try await planThenPush("already current", expectChanges: false)
            // A new revision: the env is a cache hit, the guard true everywhere.
            try await app.newRevision("2")
            try await planThenPush("env cache hit, guard true")
            // One host behind: host3 back on the first release.
            try await sandbox.exec("host3", "ln -sfn releases/\(first) /srv/app/current")
            try await planThenPush("one host behind")
            // The guard false again on one host.
            try await sandbox.exec("host2", "rm /srv/app/shared/seeded")
            try await app.newRevision("3")
            try await planThenPush("guard false on host2")
        }
    }

    @Test func aHeldLockIsAPlannedBlockerAndThePushRunsNoTask() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try await sandbox.exec("host1", "mkdir -p /srv/app/.deployer/lock && date +%s > /srv/app/.deployer/lock/heartbeat "
                + "&& chown -R deploy /srv/app")
            let plan = try await sandbox.deployer(["plan", "staging", "--format", "json"], in: app.path)
            #expect(plan.output.contains("host1 is locked"), "\(plan.output)")
            let push = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
            #expect(push.status == 3)
            // Uploads may overlap the lock (they only fill the artifact cache); no task runs.
            let pushed = Self.pushedRuns(push.output)
            #expect(pushed.filter { !$0.hasSuffix(" upload") }.isEmpty, "\(pushed)")
            #expect(pushed.isSubset(of: try Self.plannedRuns(plan.output)))
        }
    }

    @Test func aSavedPlanIsAppliedOnlyWhileTheHostsStillMatchIt() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let planFile = app.path + "/plan.json"
            #expect(try await sandbox.deployer(["plan", "staging", "--out", planFile], in: app.path).status == 0)
            let applied = try await sandbox.deployer(["push", "staging", "--plan", planFile], in: app.path)
            #expect(applied.status == 0, "\(applied.output)")
            let planned = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planFile)))
                as? [String: Any])
            #expect(try await sandbox.current("host1") == planned["release"] as? String)

            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["plan", "staging", "--out", planFile], in: app.path).status == 0)
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("3")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let stale = try await sandbox.deployer(["push", "staging", "--plan", planFile], in: app.path)
            #expect(stale.status == 5, "\(stale.output)")
            #expect(stale.output.contains("host1: current release: planned"), "\(stale.output)")
            #expect(stale.output.contains("host2: current release: planned"), "\(stale.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/app.txt") == "version 3\n")
        }
    }

    /// Issue 21, item 1: a guard that deletes `shared/logs` (a hostile pull
    /// request's recipe). `plan` runs it on no host, even with `--run-guards`
    /// (it is not marked read-only), and shows the task as decided at push; a
    /// guard marked `read_only_guards` runs only with `--run-guards`; a saved
    /// plan with a step decided at push is applied without reporting drift.
    @Test func planRunsNoRecipeCommandOnAnyHost() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  notify:
                    phase: after_switch
                    unless: "rm -rf {{shared}}/logs"
                    run: touch {{shared}}/notified
                  warm:
                    phase: after_switch
                    read_only_guards: true
                    only_if: "test -f {{shared}}/warm-me"
                    run: touch {{shared}}/warmed
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            for host in sandbox.hosts {
                try await sandbox.exec(host, "mkdir -p /srv/app/shared/logs && echo kept > /srv/app/shared/logs/app.log "
                    + "&& chown -R deploy /srv/app/shared")
            }
            try await sandbox.exec("host1", "touch /srv/app/shared/warm-me && chown deploy /srv/app/shared/warm-me")
            try await app.newRevision("2")
            let planFile = app.path + "/plan.json"
            let plan = try await sandbox.deployer(["plan", "staging", "--out", planFile], in: app.path)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("unknown after_switch  notify"), "\(plan.output)")
            #expect(plan.output.contains("decided at push: plan runs no unless/only_if command"), "\(plan.output)")
            #expect(plan.output.contains("decided at push: plan --run-guards runs its read-only guards"), "\(plan.output)")
            let withGuards = try await sandbox.deployer(["plan", "staging", "--run-guards", "--format", "json"], in: app.path)
            #expect(withGuards.status == 0, "\(withGuards.output)")
            let runs = try Self.plannedRuns(withGuards.output)
            let warmed: Set<String> = ["host1 after_switch/warm"]
            #expect(runs.filter { $0.hasSuffix("/warm") || $0.hasSuffix("/notify") } == warmed, "\(runs)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/logs/app.log 2>&1") == "kept\n", "\(host)")
            }
            let applied = try await sandbox.deployer(["push", "staging", "--plan", planFile], in: app.path)
            #expect(applied.status == 0, "\(applied.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/app.txt") == "version 2\n")
        }
    }

    @Test func anInvalidRecipeExitsTwoWithItsDiagnostics() async throws {
        let directory = NSTemporaryDirectory() + "deployer-plan-invalid-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "app: demo\nsource: { git: . }\ndeploy_to: /srv/app\nenvironments:\n  staging:\n    hosts: { web: [a] }\n"
            .appending("tasks:\n  restart:\n    phase: after_switch\n    rols: [web]\n    run: x\n")
            .write(toFile: directory + "/deploy.yml", atomically: true, encoding: .utf8)
        let run = await (try DeployerProcess(["plan", "staging", "--offline"], in: directory, sshConfig: "/dev/null")).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("deploy.yml:10:5: error: unknown key 'rols'"), "\(run.output)")
    }
}
