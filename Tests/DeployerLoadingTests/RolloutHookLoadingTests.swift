import DeployerLoading
import DeployerModel
import DeployerPlanning
import Testing

/// `rolling.drain`/`undrain` in both forms (a command run on the host, or
/// `{ run, on }` run on the controller or another host) and `health:` under a
/// role, from YAML to the resolved environment, its fingerprint, diff and plan.
@Suite struct RolloutHookLoadingTests {
    static func recipe(drain: String, undrain: String = "\"lb-on {{ host }}\"", web: String = "[web1, web2]",
                       worker: String = "[job1]", health: String = "{ run: \"true\" }") -> String {
        """
        app: shop
        deploy_to: /srv/shop
        environments:
          prod:
            hosts:
              web: \(web)
              worker: \(worker)
            rolling: { batch: 1, drain: \(drain), undrain: \(undrain) }
            health: \(health)
        """
    }

    static func resolve(_ text: String) throws -> ResolvedEnvironment {
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        return try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
    }

    @Test(arguments: [
        ("\"lb-off {{ host }}\"", HookTarget.switchedHost),
        ("{ run: \"lb-off {{ host }}\" }", .switchedHost),
        ("{ run: \"lb-off {{ host }}\", on: controller }", .controller),
        ("{ on: lb1, run: \"lb-off {{ host }}\" }", .host(HostAddress(parsing: "lb1")!)),
        ("{ run: \"lb-off {{ host }}\", on: \"ops@lb1:2222\" }", .host(HostAddress(parsing: "ops@lb1:2222")!)),
        ("{ run: \"lb-off {{ host }}\", on: web2 }", .host(HostAddress(parsing: "web2")!)),
    ])
    func aHookRunsWhereItsOnSays(drain: String, target: HookTarget) throws {
        let environment = try Self.resolve(Self.recipe(drain: drain))
        #expect(environment.rolling.drain?.run.source == "lb-off {{ host }}")
        #expect(environment.rolling.drain?.target == target)
        #expect(environment.rolling.undrain?.target == .switchedHost)
    }

    @Test func theMapFormWithoutOnIsTheStringFormAndKeepsItsFingerprint() throws {
        let string = try Self.resolve(Self.recipe(drain: "\"lb-off {{ host }}\""))
        let map = try Self.resolve(Self.recipe(drain: "{ run: \"lb-off {{ host }}\" }"))
        let controller = try Self.resolve(Self.recipe(drain: "{ run: \"lb-off {{ host }}\", on: controller }"))
        let lb = try Self.resolve(Self.recipe(drain: "{ run: \"lb-off {{ host }}\", on: lb1 }"))
        #expect(string.fingerprint == map.fingerprint)
        #expect(Set([string.fingerprint, controller.fingerprint, lb.fingerprint]).count == 3)
    }

    @Test func aHostUsesItsFirstRoleWithACheckElseTheEnvironments() throws {
        let environment = try Self.resolve(Self.recipe(
            drain: "\"true\"", web: "{ hosts: [web1, both1], health: { http: \"http://localhost/up\", retries: 1 } }",
            worker: "{ hosts: [job1, both1], health: { run: \"pgrep worker\" } }"))
        func probe(_ host: String) -> HealthCheck.Probe? {
            environment.health(for: environment.hosts.first { $0.name == host }!)?.probe
        }
        #expect(probe("web1") == .http(url: try Template(parsing: "http://localhost/up"), status: 200, unixSocket: nil))
        #expect(probe("both1") == probe("web1"))     // web is declared first
        #expect(probe("job1") == .command(try Template(parsing: "pgrep worker")))
        #expect(environment.hosts.map(\.name) == ["web1", "both1", "job1"])

        let partly = try Self.resolve(Self.recipe(drain: "\"true\"", worker: "{ hosts: [job1], health: { run: \"pgrep worker\" } }"))
        #expect(partly.health(for: partly.hosts[0])?.probe == .command(try Template(parsing: "true")))
        #expect(partly.fingerprint != (try Self.resolve(Self.recipe(drain: "\"true\""))).fingerprint)
    }

    @Test func thePlanSaysWhereHooksRunAndWhichRolesHaveTheirOwnCheck() throws {
        let environment = try Self.resolve(Self.recipe(
            drain: "{ run: \"lb-off {{ host }}\", on: controller }", undrain: "{ run: \"lb-on {{ host }}\", on: lb1 }",
            worker: "{ hosts: [job1], health: { run: \"pgrep worker\" } }"))
        #expect(PlannedRollout(environment: environment).perHost
                == ["drain on controller", "switch", "health (role worker: its own; others: the environment's)", "undrain on lb1"])
        let onHost = try Self.resolve(Self.recipe(drain: "\"lb-off {{ host }}\""))
        #expect(PlannedRollout(environment: onHost).perHost == ["drain", "switch", "health", "undrain"])
    }

    @Test func diffShowsWhereHooksRunAndRoleChecks() throws {
        let left = try Self.resolve(Self.recipe(drain: "\"lb-off {{ host }}\""))
        let right = try Self.resolve(Self.recipe(drain: "{ run: \"lb-off {{ host }}\", on: lb1 }",
                                                 worker: "{ hosts: [job1], health: { run: \"pgrep worker\" } }"))
        let diff = EnvironmentDiff(left, right, allowRoleDifferences: false)
        #expect(diff.differences.map { "\($0.aspect.rawValue) \($0.item): \($0.left) -> \($0.right)" } == [
            "rolling drain: lb-off {{ host }} -> lb-off {{ host }} (on lb1)",
            "health role worker: none -> run pgrep worker, 3 retries every 1.0s, timeout 10.0s, grace 0.0s",
        ])
    }
}
