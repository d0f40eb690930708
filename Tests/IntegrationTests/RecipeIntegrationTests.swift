import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// Each built-in recipe under `Recipes/` deployed for real by the built
/// `deployer` to two sandbox hosts, from the fixture apps in
/// `Fixtures/recipes/`, and its result checked on the hosts. The hosts reach
/// no package index: Python packages come from a wheelhouse uploaded with
/// the app, npm packages are local.
@Suite(.tags(.sandbox)) struct RecipeIntegrationTests {
    @Test func pythonVirtualenvInstallsFromTheWheelhouseAndKeysTheEnvByRequirements() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "python-virtualenv")
            let wheels = NSTemporaryDirectory() + "deployer-wheels-" + UUID().uuidString
            defer { app.remove(); try? FileManager.default.removeItem(atPath: wheels) }
            try await app.useWheels([try await Self.greetingWheel(version: "1.0", in: wheels)])
            let first = try await push(app, in: sandbox)
            #expect(first.output.contains("env venv built"))
            let env = try await sandbox.exec("host1", "readlink /srv/app/current/venv")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cd /srv/app/current && venv/bin/python app.py") == "hello from greeting 1.0\n")
                #expect(try await sandbox.exists(host, "/srv/app/current/venv/pyvenv.cfg"))
            }

            try await app.newRevision("2")
            let same = try await push(app, in: sandbox)
            #expect(same.output.contains("env venv reused"), "\(same.output)")
            for host in sandbox.hosts { #expect(try await sandbox.exec(host, "readlink /srv/app/current/venv") == env) }

            try await app.useWheels([try await Self.greetingWheel(version: "2.0", in: wheels)])
            let changed = try await push(app, in: sandbox)
            #expect(changed.output.contains("env venv built"), "\(changed.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "readlink /srv/app/current/venv") != env)
                #expect(try await sandbox.exec(host, "cd /srv/app/current && venv/bin/python app.py") == "hello from greeting 2.0\n")
                #expect(try await sandbox.exec(host, "ls /srv/app/envs").split(separator: "\n").count == 2)
            }
        }
    }

    @Test func djangoMigratesOnceOnTheDatabaseHostCollectsStaticAndRestarts() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "django")
            defer { app.remove() }
            try await app.useWheels(try Self.djangoWheels())
            try await sandbox.installSupervisor(unitFile: app.path + "/notes.service")
            let pushed = try await push(app, in: sandbox)
            let migrations = pushed.output.split(separator: "\n").filter { $0.contains("task migrate ok") }
            #expect(migrations.count == 1 && migrations.first?.contains("host1") == true, "\(pushed.output)")
            let release = try #require(try await sandbox.current("host1"))
            let css = try String(contentsOfFile: app.path + "/notes/static/notes/site.css", encoding: .utf8)
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/static/notes/site.css") == css)
                #expect(try await sandbox.waitForAnswer(host, startingWith: "notes ") == "notes \(release)\n")
            }
            let applied = """
                import sqlite3
                db = sqlite3.connect("file:/srv/app/shared/data/db.sqlite3?mode=ro", uri=True)
                for app, name in db.execute("select app, name from django_migrations where app = 'notes'"):
                    print(app, name)
                print(db.execute("select count(*) from notes_note").fetchone()[0], "notes")
                """
            #expect(try await sandbox.exec("host1", ShellQuote.join(["python3", "-c", applied]))
                    == "notes 0001_initial\n0 notes\n")
            #expect(try await !sandbox.exists("host2", "/srv/app/shared/data/db.sqlite3"), "migrate runs on the db host only")
            // The recipe's header: the deployment checks' warnings are in the release's log, read with `deployer run`.
            let warnings = try await sandbox.deployer(["run", "staging", "--hosts", "host1", "--",
                                                       "cat {{ current }}/.deployer-logs/check_deploy.log"], in: app.path)
            #expect(warnings.status == 0 && warnings.output.contains("System check identified"), "\(warnings.output)")

            // Maintenance mode: gunicorn serves the recipe's deployer_wsgi, which answers 503 and a page while
            // shared/maintenance.on exists, but the health path; the site again once it is off.
            #expect(try await sandbox.deployer(["maintenance", "staging", "on"], in: app.path).status == 0)
            func request(_ host: String, _ path: String) async throws -> String {
                try await sandbox.exec(host, ShellQuote.join(["curl", "-s", "--max-time", "5", "--unix-socket", "/srv/app/shared/app.sock",
                                                              "-H", "X-Forwarded-Proto: https", "-w", " %{http_code}",
                                                              "http://localhost" + path]))
            }
            for host in sandbox.hosts {
                let page = try await request(host, "/")
                #expect(page.hasSuffix(" 503") && page.contains("<h1>Down for maintenance</h1>"), "\(host): \(page)")
                #expect(try await request(host, "/health").hasSuffix(" 404"), "the health path reaches the site")
            }
            #expect(try await sandbox.deployer(["maintenance", "staging", "off"], in: app.path).status == 0)
            for host in sandbox.hosts { #expect(try await request(host, "/") == "notes \(release)\n 200") }
        }
    }

    /// A database per host (SQLite in each host's shared/): `migrate_on: every_host` migrates every one of them.
    @Test func djangoWithADatabasePerHostMigratesEveryHost() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "django")
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(
                of: "  systemctl: /srv/supervisor/systemctl\n",
                with: "  systemctl: /srv/supervisor/systemctl\n  migrate_on: every_host\n"))
            try await app.useWheels(try Self.djangoWheels())
            try await sandbox.installSupervisor(unitFile: app.path + "/notes.service")
            let pushed = try await push(app, in: sandbox)
            let migrations = pushed.output.split(separator: "\n").filter { $0.contains("task migrate_every_host ok") }
            #expect(migrations.count == 2, "\(pushed.output)")
            let release = try #require(try await sandbox.current("host1"))
            let applied = """
                import sqlite3
                db = sqlite3.connect("file:/srv/app/shared/data/db.sqlite3?mode=ro", uri=True)
                print(db.execute("select count(*) from django_migrations where app = 'notes'").fetchone()[0], "migrations")
                """
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, ShellQuote.join(["python3", "-c", applied])) == "1 migrations\n", "\(host)")
                #expect(try await sandbox.waitForAnswer(host, startingWith: "notes ") == "notes \(release)\n")
            }
        }
    }

    @Test func nodeInstallsTheLockfileIntoAnEnvAndTheAppRuns() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "node")
            defer { app.remove() }
            let first = try await push(app, in: sandbox)
            #expect(first.output.contains("env deps built"))
            let env = try await sandbox.exec("host1", "readlink -f /srv/app/current/deps").trimmingCharacters(in: .newlines)
            #expect(env.hasPrefix("/srv/app/envs/deps-"))
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "readlink -f /srv/app/current/node_modules") == env + "/node_modules\n")
                #expect(try await sandbox.exec(host, "test -f /srv/app/current/node_modules/greet/index.js && "
                                                 + "test ! -L /srv/app/current/deps/node_modules/greet && echo copied") == "copied\n")
                #expect(try await sandbox.exec(host, "cd /srv/app/current && node app.js")
                        == "hello from greet, node\nbuilt by npm run build\n")
            }

            try await app.newRevision("2")
            let second = try await push(app, in: sandbox)
            #expect(second.output.contains("env deps reused"), "\(second.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "readlink -f /srv/app/current/deps") == env + "\n")
                #expect(try await sandbox.exec(host, "cd /srv/app/current && node app.js").hasPrefix("hello from greet"))
            }
        }
    }

    /// A package with no dependencies: `npm ci` makes no node_modules, and the env build must
    /// not fail on moving it (issue 22, item 7: `mv: cannot stat 'node_modules'`).
    @Test func nodeDeploysAPackageWithNoDependencies() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "node")
            defer { app.remove() }
            try app.write("package.json", #"{ "name": "demo", "version": "1.0.0", "private": true }"# + "\n")
            try app.write("package-lock.json", #"""
                { "name": "demo", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
                  "packages": { "": { "name": "demo", "version": "1.0.0" } } }

                """#)
            try app.write("app.js", "console.log('no dependencies')\n")
            try await app.git(["rm", "-rq", "packages", "build.js"])
            try await app.commit("no dependencies")
            let run = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(run.status == 0, "\(run.output)")
            #expect(try await sandbox.exec("host1", "cd /srv/app/current && node app.js") == "no dependencies\n")
        }
    }

    @Test func staticSitePublishesTheFilesAndRefusesASiteWithoutIndex() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "static-site")
            defer { app.remove() }
            _ = try await push(app, in: sandbox)
            let release = try #require(try await sandbox.current("host1"))
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                for file in ["index.html", "css/site.css"] {
                    let published = try String(contentsOfFile: app.path + "/public/" + file, encoding: .utf8)
                    #expect(try await sandbox.exec(host, "cat /srv/app/current/" + file) == published)
                }
            }
            let again = try await push(app, in: sandbox)
            #expect(again.output.contains("already at \(release)"), "\(again.output)")

            try FileManager.default.removeItem(atPath: app.path + "/public/index.html")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("check_index"))
            #expect(refused.output.contains("the release has no index.html"))
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == release) }
        }
    }

    @Test func systemdServiceRestartsTheUnitAfterAPushAndARollback() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "systemd-service")
            defer { app.remove() }
            try await sandbox.installSupervisor(unitFile: app.path + "/demo.service")
            _ = try await push(app, in: sandbox)
            let first = try #require(try await sandbox.current("host1"))
            var pids: [String: String] = [:]
            for host in sandbox.hosts {
                let answer = try await sandbox.waitForAnswer(host, startingWith: "demo \(first) ")
                pids[host] = answer.split(separator: " ").last?.trimmingCharacters(in: .newlines)
            }

            try await app.newRevision("2")
            _ = try await push(app, in: sandbox)
            let second = try #require(try await sandbox.current("host1"))
            #expect(second != first)
            for host in sandbox.hosts {
                _ = try await sandbox.waitForAnswer(host, startingWith: "demo \(second) ")
                let state = try await sandbox.exec(host, "ps -o stat= -p \(try #require(pids[host])) || true")
                #expect(state.isEmpty || state.hasPrefix("Z"), "the first release's process was stopped")
            }

            let rollback = try await sandbox.deployer(["rollback", "staging"], in: app.path)
            #expect(rollback.status == 0, "\(rollback.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == first)
                _ = try await sandbox.waitForAnswer(host, startingWith: "demo \(first) ")
            }
        }
    }

    /// A first push whose health check fails is rolled back to no release on every host; the
    /// unit its restart task started must not keep serving the failed release (issue 15, item 8).
    @Test func systemdServiceStopsTheUnitWhenAFailedFirstPushLeavesNoRelease() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "systemd-service")
            defer { app.remove() }
            try await sandbox.installSupervisor(unitFile: app.path + "/demo.service")
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(
                of: "hosts: { web: [host1, host2] }",
                with: "hosts: { web: [host1, host2] }\n    health: { run: \"false\", retries: 0 }"))
            try await app.commit("a health check that never passes")
            let push = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(push.status == 1, "\(push.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == nil, "\(host) has no release after the rollback")
                let active = try await sandbox.exec(host, "\(Sandbox.supervisor)/systemctl is-active demo || true")
                #expect(active.hasPrefix("inactive"), "\(host): the failed release's unit is \(active)")
            }
        }
    }

    /// `deployer push staging` of `app`, expected to succeed.
    private func push(_ app: AppRepository, in sandbox: Sandbox) async throws -> DeployerRun {
        let run = try await sandbox.deployer(["push", "staging"], in: app.path)
        #expect(run.status == 0, "\(run.output)")
        return run
    }

    /// The wheel of a one-module package, `deployer-fixture-greeting` at
    /// `version`, built in `directory` by pip on the controller without the
    /// network (no build isolation: the system's setuptools and wheel); its path.
    static func greetingWheel(version: String, in directory: String) async throws -> String {
        let source = directory + "/source-" + version
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "deployer-fixture-greeting"
            version = "\(version)"

            """.write(toFile: source + "/pyproject.toml", atomically: true, encoding: .utf8)
        try "def hello():\n    return \"hello from greeting \(version)\"\n"
            .write(toFile: source + "/deployer_fixture_greeting.py", atomically: true, encoding: .utf8)
        try await checked("/usr/bin/python3", ["-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-index",
                                               "--no-deps", "--no-build-isolation", "--wheel-dir", directory, source])
        return directory + "/deployer_fixture_greeting-\(version)-py3-none-any.whl"
    }

    /// Django, gunicorn and their dependencies as wheels, downloaded once by `Scripts/setup`.
    static func djangoWheels() throws -> [String] {
        let cache = Sandbox.repository + "/.cache/wheelhouse/django"
        guard FileManager.default.fileExists(atPath: cache + "/.complete") else {
            throw SandboxError("no Django wheels in \(cache): run Scripts/setup, which downloads them once")
        }
        return try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".whl") }.sorted()
            .map { cache + "/" + $0 }
    }

    static func checked(_ executable: String, _ arguments: [String]) async throws {
        let output = try await ProcessRunner.run(executable, arguments)
        guard output.status == 0 else {
            throw SandboxError("\(executable) \(arguments.joined(separator: " ")): " + String(decoding: output.stderr, as: UTF8.self))
        }
    }
}
