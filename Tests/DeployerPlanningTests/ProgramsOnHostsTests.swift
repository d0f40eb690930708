import DeployerModel
import DeployerPlanning
import Testing

/// Which programs `deployer doctor` looks for on a host: deployer's own tools, the shell
/// wrapper's program, and the first word of each command the recipe runs there.
@Suite struct ProgramsOnHostsTests {
    static let web = FleetHost(address: HostAddress(parsing: "web1")!, roles: ["web"])
    static let own = ResolvedEnvironment.scriptTools

    static func environment(tasks: [String: (roles: [String], run: String, local: Bool)] = [:], build: String? = nil,
                            shell: RemoteShell = .posix, health: HealthCheck.Probe? = nil) throws -> ResolvedEnvironment {
        ResolvedEnvironment(
            app: "demo", name: "staging", deployTo: "/srv/app", source: .git(path: ".", revision: nil), hosts: [web],
            dependencyEnvs: try build.map { [DependencyEnv(name: "venv", keyFiles: [], build: try Template(parsing: $0))] } ?? [],
            tasks: try tasks.sorted { $0.key < $1.key }.map { name, task in
                ResolvedTask(name: name, phase: .afterSwitch, roles: task.roles, run: try Template(parsing: task.run), local: task.local)
            },
            health: health.map { HealthCheck(probe: $0) }, shell: shell)
    }

    @Test(arguments: [
        ("python3 -m venv {{ env_dir }} && {{ env_dir }}/bin/pip install -r requirements.txt", ["python3"]),
        ("cd web; NODE_ENV=production npm ci | tee log || echo failed", ["npm", "tee"]),
        ("venv/bin/python manage.py migrate", []),
        ("{{ tool }} --version", []),
        ("if test -f x; then make; fi", ["make"]),
        ("sudo systemctl restart app\nbundle exec rake", ["bundle", "sudo"]),
    ])
    func firstWordsOfTheBuild(command: String, programs: [String]) throws {
        let found = try Self.environment(build: command).programs(on: Self.web)
        #expect(found == (Self.own + programs).sorted())
    }

    @Test func onlyTheHostsOwnTasksAndNotLocalOnes() throws {
        let environment = try Self.environment(tasks: [
            "restart": (["web"], "systemctl restart app", false),
            "jobs": (["worker"], "python9 jobs.py", false),
            "notify": ([], "curl -X POST https://hooks.example", true),
        ])
        #expect(environment.programs(on: Self.web) == (Self.own + ["systemctl"]).sorted())
    }

    @Test func theShellWrapperAndTheHealthCheck() throws {
        #expect(try Self.environment(shell: .login).programs(on: Self.web).contains("bash"))
        #expect(try Self.environment(shell: .custom("zsh -lc")).programs(on: Self.web).contains("zsh"))
        let http = HealthCheck.Probe.http(url: Template(literal: "http://localhost/"), status: 200, unixSocket: nil)
        #expect(try Self.environment(health: http).programs(on: Self.web).contains("curl"))
        let command = HealthCheck.Probe.command(Template(literal: "wget -q -O- localhost"))
        #expect(try Self.environment(health: command).programs(on: Self.web).contains("wget"))
    }
}
