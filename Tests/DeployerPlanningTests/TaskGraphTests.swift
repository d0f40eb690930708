import DeployerModel
import DeployerPlanning
import Testing

@Suite struct TaskGraphTests {
    static func host(_ name: String, _ roles: String...) -> FleetHost { FleetHost(address: HostAddress(parsing: name)!, roles: roles) }

    static func task(_ name: String, _ phase: Phase, roles: [String] = [], once: Bool = false, needs: [String] = [],
                     local: Bool = false) -> ResolvedTask {
        ResolvedTask(name: name, phase: phase, roles: roles, once: once, needs: needs, run: Template(literal: name), local: local)
    }

    static let environment = ResolvedEnvironment(
        app: "shop", name: "prod", deployTo: "/srv/shop", source: .git(path: ".", revision: nil),
        hosts: [host("web1", "web"), host("web2", "web"), host("db1", "db"), host("db2", "db", "web")],
        tasks: [
            task("restart", .afterSwitch, roles: ["web"], needs: ["notify"]),
            task("notify", .afterSwitch, needs: ["assets"]),
            task("migrate", .beforeSwitch, roles: ["db"], once: true),
            task("assets", .prepare, local: true),
            task("deps", .prepare),
            task("cache", .prepare, roles: ["cache"]),
            task("page", .afterRollback, roles: ["web"], once: true),
        ])

    @Test func ordersByPhaseThenNeeds() {
        let graph = TaskGraph(Self.environment)
        #expect(graph.nodes.map(\.task.name) == ["assets", "deps", "cache", "migrate", "notify", "restart", "page"])
        #expect(graph.phases == [.prepare, .beforeSwitch, .afterSwitch, .afterRollback])
        // `notify` needs a prepare task: ordered by the phases, not an edge of the after_switch DAG.
        #expect(graph.nodes.first { $0.task.name == "notify" }?.dependencies == [])
        #expect(graph.nodes.first { $0.task.name == "restart" }?.dependencies == ["notify"])
    }

    @Test func placesOnceLocalAndRoleTasks() {
        let graph = TaskGraph(Self.environment)
        let placement = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.task.name, $0.placement) })
        #expect(placement["assets"] == .controller)
        #expect(placement["deps"] == .hosts(["web1", "web2", "db1", "db2"]))
        #expect(placement["cache"] == .hosts([]))
        #expect(placement["migrate"] == .hosts(["db1"]))
        #expect(placement["restart"] == .hosts(["web1", "web2", "db2"]))
        #expect(placement["page"] == .hosts(["web1"]))
    }

    @Test func perHostTaskLists() {
        let graph = TaskGraph(Self.environment)
        #expect(graph.tasks(on: "db1").map(\.name) == ["deps", "migrate", "notify"])
        #expect(graph.tasks(on: "db2").map(\.name) == ["deps", "notify", "restart"])
        #expect(graph.tasks(on: "web1").map(\.name) == ["deps", "notify", "restart", "page"])
    }

    @Test func rendersText() {
        let text = TaskGraph(Self.environment).renderText()
        #expect(text == """
            prod: 4 hosts, 7 tasks

            prepare
              assets   on the controller
              deps     web1, web2, db1, db2 (all roles)
              cache    no host has cache

            before_switch
              migrate  once on db1 (db)

            after_switch
              notify   web1, web2, db1, db2 (all roles)  needs assets
              restart  web1, web2, db2 (web)  needs notify

            after_rollback
              page     once on web1 (web)

            per host
              web1  [web]  deps, notify, restart, page
              web2  [web]  deps, notify, restart
              db1   [db]  deps, migrate, notify
              db2   [db, web]  deps, notify, restart

            """)
    }

    @Test func rendersDOT() {
        let dot = TaskGraph(Self.environment).renderDOT()
        #expect(dot.hasPrefix("digraph \"prod\" {\n"))
        #expect(dot.contains("  \"after_switch/notify\" -> \"after_switch/restart\";\n"))
        #expect(dot.contains("\"before_switch/migrate\" [label=\"migrate\\nonce: db1\"];"))
        #expect(dot.contains("  \"prepare/cache\" -> \"before_switch/migrate\" [style=dashed];\n"))
        #expect(!dot.contains("after_rollback/page\" [style=dashed]"))
        #expect(dot.hasSuffix("}\n"))
    }

    @Test func quotesDOTIdentifiers() {
        var environment = Self.environment
        environment.name = "we\"ird\\env"
        #expect(TaskGraph(environment).renderDOT().hasPrefix("digraph \"we\\\"ird\\\\env\" {"))
    }
}
