import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// Pending work shown before it runs (`check:`) and the after_fleet phase (issue 19, items 1 and 2),
/// on real sandbox hosts: the django recipe's migrate task on the fixture's real Django app, and
/// small recipes for what a check or after_fleet does when something fails.
@Suite(.tags(.sandbox)) struct PendingWorkTests {
    /// The JSON events of `run` of `type`.
    static func events(_ run: DeployerRun, _ type: String) -> [[String: Any]] {
        JSONExitCodeTests.events(run).filter { $0["type"] as? String == type }
    }

    /// Events of `type` about `task`.
    static func events(_ run: DeployerRun, _ type: String, task: String) -> [[String: Any]] {
        events(run, type).filter { $0["task"] as? String == task }
    }

    @Test func djangoShowsAPendingMigrationRunsItAndSkipsMigrateWhenNoneIsPending() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "django")
            defer { app.remove() }
            try await app.useWheels(try RecipeIntegrationTests.djangoWheels())
            try await sandbox.installSupervisor(unitFile: app.path + "/notes.service")
            func push() async throws -> DeployerRun {
                let run = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
                #expect(run.status == 0, "\(run.output)")
                return run
            }

            // The first push: every migration is pending, on the db host only, before anything switched.
            let first = try await push()
            let checked = Self.events(first, "task_checked", task: "migrate")
            #expect(checked.count == 1 && checked.first?["host"] as? String == "host1", "\(first.output)")
            #expect(checked.first?["pending"] as? Bool == true)
            #expect((checked.first?["output"] as? [String])?.contains("notes.0001_initial") == true, "\(checked)")
            let types = JSONExitCodeTests.events(first).compactMap { $0["type"] as? String }
            #expect(types.firstIndex(of: "task_checked")! < types.firstIndex(of: "switched")!, "shown before any switch")
            #expect(Self.events(first, "task_finished", task: "migrate").first?["exit_status"] as? Int == 0)

            // Nothing new: the check says so and migrate is skipped, saying why.
            try await app.newRevision("2")
            let second = try await push()
            #expect(Self.events(second, "task_checked", task: "migrate").first?["pending"] as? Bool == false, "\(second.output)")
            let skipped = Self.events(second, "task_skipped", task: "migrate")
            #expect(skipped.count == 1 && skipped.first?["reason"] as? String == "check: nothing pending", "\(second.output)")
            #expect(Self.events(second, "task_started", task: "migrate").isEmpty)

            // A new migration: pending again, named in the events, and applied.
            let models = try String(contentsOfFile: app.path + "/notes/models.py", encoding: .utf8)
            try app.write("notes/models.py", models + "    pinned = models.BooleanField(default=False)\n")
            try app.write("notes/migrations/0002_note_pinned.py", """
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("notes", "0001_initial")]
                    operations = [migrations.AddField("note", "pinned", models.BooleanField(default=False))]

                """)
            try await app.commit("notes can be pinned")
            let third = try await push()
            let pending = Self.events(third, "task_checked", task: "migrate")
            #expect(pending.first?["pending"] as? Bool == true, "\(third.output)")
            #expect((pending.first?["output"] as? [String])?.contains("notes.0002_note_pinned") == true, "\(pending)")
            #expect(Self.events(third, "task_finished", task: "migrate").first?["exit_status"] as? Int == 0)
            let applied = """
                import sqlite3
                db = sqlite3.connect("file:/srv/app/shared/data/db.sqlite3?mode=ro", uri=True)
                print(db.execute("select count(*) from django_migrations where app = 'notes'").fetchone()[0], "migrations")
                """
            #expect(try await sandbox.exec("host1", ShellQuote.join(["python3", "-c", applied])) == "2 migrations\n")
        }
    }

    /// The push's summary lists the tasks skipped because their check found nothing pending, with the
    /// hosts and the reason: in the JSON summary and under the plain output's summary; a task with work
    /// pending that ran is not listed.
    @Test func theSummaryListsTheTasksSkippedBecauseNothingWasPending() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  migrate:
                    phase: before_switch
                    roles: [web]
                    once: true
                    check: "test -e {{shared}}/logs/pending && exit 1; exit 0"
                    run: rm -f {{shared}}/logs/pending
                  purge:
                    phase: before_switch
                    check: "test -e {{shared}}/logs/pending && exit 1; exit 0"
                    run: rm -f {{shared}}/logs/pending
                """)
            defer { app.remove() }
            try await sandbox.exec("host2", "mkdir -p /srv/app/shared/logs && touch /srv/app/shared/logs/pending "
                + "&& chown -R deploy /srv/app")
            let first = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let summary = try #require(Self.events(first, "summary").first)
            let skipped = try #require(summary["skipped_tasks"] as? [[String: Any]], "\(first.output)")
            #expect(skipped.count == 2, "\(skipped)")
            #expect(skipped.first { $0["task"] as? String == "migrate" }?["hosts"] as? [String] == ["host1"], "\(skipped)")
            #expect(skipped.first { $0["task"] as? String == "purge" }?["hosts"] as? [String] == ["host1"], "\(skipped)")
            #expect(skipped.allSatisfy { $0["reason"] as? String == "check: nothing pending" && $0["phase"] as? String == "before_switch" })

            try await app.newRevision("2")
            let second = try await sandbox.deployer(["push", "staging", "--format", "plain"], in: app.path)
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("skipped: before_switch task migrate on host1 (check: nothing pending)\n"), "\(second.output)")
            #expect(second.output.contains("skipped: before_switch task purge on host1, host2 (check: nothing pending)\n"),
                    "\(second.output)")
        }
    }

    /// A check that exits neither 0 nor 1 fails its host in prepare: no host switches, the failure names
    /// the check and shows its output (a secret in it masked); a pending check's output is shown, masked.
    @Test func aFailingCheckFailsTheHostBeforeTheSwitch() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  purge:
                    phase: before_switch
                    check: "echo token {{ API_TOKEN }}; test -e {{shared}}/logs/pending && exit 1; test -e {{shared}}/logs/broken && exit 3; exit 0"
                    run: rm -f {{shared}}/logs/pending
                """)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "deploy_to: /srv/app\n",
                                                                    with: "deploy_to: /srv/app\nsecrets: [API_TOKEN]\n"))
            try await app.commit("with a secret")
            let token = "s3cr3t-" + UUID().uuidString.prefix(8)
            let secret: [String: String?] = ["API_TOKEN": token]
            try await sandbox.exec("host1", "mkdir -p /srv/app/shared/logs && touch /srv/app/shared/logs/pending "
                + "&& chown -R deploy /srv/app")
            let pending = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path, environment: secret)
            #expect(pending.status == 0, "\(pending.output)")
            #expect(!pending.output.contains(token))
            let checked = Self.events(pending, "task_checked", task: "purge")
            #expect(checked.map { $0["pending"] as? Bool } == [true, false] || checked.map { $0["pending"] as? Bool } == [false, true],
                    "\(checked)")
            #expect(checked.first { $0["host"] as? String == "host1" }?["output"] as? [String] == ["token ****"], "\(checked)")
            #expect(Self.events(pending, "task_finished", task: "purge").map { $0["host"] as? String } == ["host1"])
            #expect(Self.events(pending, "task_skipped", task: "purge").map { $0["host"] as? String } == ["host2"])
            let release = try await sandbox.current("host1")

            try await sandbox.exec("host2", "touch /srv/app/shared/logs/broken")
            try await app.newRevision("2")
            let broken = try await sandbox.deployer(["push", "staging"], in: app.path, environment: secret)
            #expect(broken.status == 1, "\(broken.output)")
            #expect(broken.output.contains("the check of task 'purge'"), "\(broken.output)")
            #expect(broken.output.contains("token ****") && !broken.output.contains(token), "\(broken.output)")
            #expect(broken.output.contains("no host switched"), "\(broken.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == release) }
        }
    }

    /// after_fleet runs once, after the last batch switched and passed its health check; a push that
    /// a host's failed health check rolls back never runs it, and says so.
    @Test func afterFleetRunsOnceAfterEveryBatchAndNeverWhenAHostFailsItsHealthCheck() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  contract:
                    phase: after_fleet
                    roles: [web]
                    once: true
                    run: echo {{ release_id }} >>{{shared}}/logs/contract.log
                """)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "    hosts: { web: [", with: """
                    rolling: { batch: 1 }
                    health: { run: "test ! -e {{shared}}/sick", retries: 0 }
                    hosts: { web: [
                """))
            try await app.commit("rolling, one host a batch")
            let pushed = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            let events = JSONExitCodeTests.events(pushed)
            let contract = events.indices.filter { events[$0]["task"] as? String == "contract" && events[$0]["type"] as? String == "task_finished" }
            #expect(contract.count == 1 && events[contract[0]]["host"] as? String == "host1", "\(pushed.output)")
            let lastHealth = try #require(events.indices.last { events[$0]["type"] as? String == "health_checked" })
            let lastBatch = try #require(events.indices.last { events[$0]["type"] as? String == "batch_finished" })
            #expect(events[lastBatch]["batch"] as? Int == 3)
            #expect(contract[0] > lastHealth && contract[0] > lastBatch, "after the last batch: \(pushed.output)")
            let release = try #require(try await sandbox.current("host1"))
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/logs/contract.log") == "\(release)\n")

            try await sandbox.exec("host3", "touch /srv/app/shared/sick")
            try await app.newRevision("2")
            let sick = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path)
            #expect(sick.status == 1, "\(sick.output)")
            #expect(Self.events(sick, "task_started", task: "contract").isEmpty, "\(sick.output)")
            #expect(Self.events(sick, "task_skipped", task: "contract").first?["reason"] as? String
                    == "not every host switched and passed its health check", "\(sick.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == release) }
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/logs/contract.log") == "\(release)\n")
        }
    }

    /// `plan` runs a check only with `--run-guards`, and then in the release the host runs now, saying
    /// which; without it the task is decided at push. (This check writes where it ran, to be seen:
    /// a real check must change nothing.)
    @Test func planAsksACheckOnlyWithRunGuardsInTheCurrentRelease() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  purge:
                    phase: before_switch
                    roles: [web]
                    once: true
                    check: "pwd -P >>{{shared}}/logs/asked; test -e {{shared}}/logs/pending && exit 1; exit 0"
                    run: rm -f {{shared}}/logs/pending
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let release = try #require(try await sandbox.current("host1"))
            try await sandbox.exec("host1", "rm -f /srv/app/shared/logs/asked")
            try await app.newRevision("2")

            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("purge") && plan.output.contains("decided at push: its check runs in the new release"),
                    "\(plan.output)")
            #expect(try await !sandbox.exists("host1", "/srv/app/shared/logs/asked"), "plan ran the check without --run-guards")

            try await sandbox.exec("host1", "touch /srv/app/shared/logs/pending && chown -R deploy /srv/app/shared/logs")
            let asked = try await sandbox.deployer(["plan", "staging", "--run-guards"], in: app.path)
            #expect(asked.status == 0, "\(asked.output)")
            #expect(asked.output.contains("check in the current release \(release): work pending"), "\(asked.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/logs/asked") == "/srv/app/releases/\(release)\n")
            #expect(try await !sandbox.exists("host2", "/srv/app/shared/logs/asked"), "a once task's check runs on its host only")
        }
    }

    /// A task with a guard and a check (issue 16): `plan` answers the guard from deploy_to, with and
    /// without `--run-guards`, and never reads the check's answer (the new release's, which does not
    /// exist yet, nor does its logs directory: the probe runs under `set -u`).
    @Test func planAnswersTheGuardOfATaskThatAlsoHasACheck() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  migrate:
                    phase: before_switch
                    creates: "{{shared}}/logs/frozen"
                    check: "test -e {{shared}}/logs/pending && exit 1; exit 0"
                    run: rm -f {{shared}}/logs/pending
                """)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await app.newRevision("2")
            func planned(_ options: [String]) async throws -> (action: String?, reason: String?) {
                let plan = try await sandbox.deployer(["plan", "staging", "--format", "json"] + options, in: app.path)
                #expect(plan.status == 0, "\(options): \(plan.output)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.output.utf8)) as? [String: Any],
                                        "\(plan.output)")
                let steps = (json["hosts"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]] ?? []
                let step = steps.first { $0["name"] as? String == "migrate" }
                return (step?["action"] as? String, step?["reason"] as? String)
            }
            let release = try #require(try await sandbox.current("host1"))
            let unguarded = try await planned([])
            #expect(unguarded.action == "unknown" && unguarded.reason?.hasPrefix("decided at push: its check runs in the new release") == true,
                    "\(unguarded)")
            let asked = try await planned(["--run-guards"])
            #expect(asked.action == "unknown", "\(asked)")
            #expect(asked.reason?.contains("check in the current release \(release): nothing pending there") == true, "\(asked)")

            try await sandbox.exec("host1", "touch /srv/app/shared/logs/frozen && chown deploy /srv/app/shared/logs/frozen")
            for options in [[], ["--run-guards"]] {
                let skipped = try await planned(options)
                #expect(skipped.action == "skip" && skipped.reason == "creates: /srv/app/shared/logs/frozen exists",
                        "\(options): \(skipped)")
            }
        }
    }
}
