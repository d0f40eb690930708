import DeployerLoading
import DeployerModel
import Testing

/// Which task `deployer task ENV NAME` runs, on which hosts, and what it refuses before touching any.
@Suite struct OnDemandTaskTests {
    static func prod() throws -> ResolvedEnvironment {
        let loader = InMemoryFiles(files: ["deploy.yml": """
            app: shop
            deploy_to: /srv/shop
            environments:
              prod:
                hosts: { web: [web1, web2, web3], db: [db1] }
            tasks:
              assets: { local: true, run: make assets }
              collectstatic: { phase: prepare, run: manage.py collectstatic }
              migrate: { phase: before_switch, roles: [db, web], once: true, run: manage.py migrate }
              restart: { phase: after_switch, roles: [web], run: systemctl restart shop }
              clear_cache: { phase: after_switch, run: rm -rf cache }
              page: { phase: on_failure, run: notify-oncall }
            """]).loader
        return try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
    }

    @Test(arguments: [("restart", ["web1", "web2", "web3"]), ("clear_cache", ["web1", "web2", "web3", "db1"]),
                      ("migrate", ["web1"])])
    func aTaskRunsOnTheHostsOfItsRoles(name: String, hosts: [String]) throws {
        let (task, narrowed) = try Self.prod().onDemandTask(named: name)
        #expect(task.name == name)
        #expect(narrowed.hosts.map(\.name) == hosts)
    }

    @Test(arguments: [("assets", 7, "is a build step (local: true)"), ("collectstatic", 8, "is a prepare task"),
                      ("page", 12, "is an on_failure task")])
    func aTaskThatMakesOrRepairsAReleaseIsRefusedAtItsLine(name: String, line: Int, reason: String) throws {
        let error = try #require(throws: DiagnosticsError.self) { try Self.prod().onDemandTask(named: name) }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics[0].message.hasPrefix("task '\(name)' \(reason)"), "\(error.diagnostics)")
        #expect(error.diagnostics[0].location?.line == line, "\(error.diagnostics)")
    }

    @Test func anUnknownTaskIsNamedWithTheNearestAndTheRunnableOnes() throws {
        let error = try #require(throws: DiagnosticsError.self) { try Self.prod().onDemandTask(named: "restrat") }
        #expect(error.diagnostics[0].message == "the recipe has no task 'restrat'; did you mean 'restart'?")
        #expect(error.diagnostics[0].note == "tasks deployer task can run in 'prod': migrate, restart, clear_cache")
    }

    @Test func aLimitWithoutTheTasksRolesIsRefused() throws {
        let (db, _) = try Self.prod().limited(hosts: ["db1"], roles: nil)
        let error = try #require(throws: DiagnosticsError.self) { try db.onDemandTask(named: "restart") }
        #expect(error.diagnostics[0].message.contains("runs on hosts with the role web and none of these hosts"),
                "\(error.diagnostics)")
    }
}
