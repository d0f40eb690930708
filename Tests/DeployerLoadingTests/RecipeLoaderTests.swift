import DeployerLoading
import DeployerModel
import Testing

@Suite struct RecipeLoaderTests {
    static let sketch = """
        app: newsbudget
        source: { git: . }
        deploy_to: /srv/newsbudget
        keep_releases: 5
        shared: { dirs: [media, logs], files: [.env] }
        vars: { settings: newsbudget.settings.base }
        secrets: [SENTRY_DSN]

        environments:
          staging:
            hosts: { web: [staging1], db: [staging1] }
            vars: { settings: newsbudget.settings.staging }
          prod:
            hosts: { web: [web1, web2, web3, "deploy@web4:2222"], db: [db1] }
            vars: { settings: newsbudget.settings.prod }
            rolling: { batch: 25%, max_failures: 0, on_failure: rollback, pause: 500ms }
            health: { run: "curl -fsS http://127.0.0.1:8000/health", retries: 5, interval: 2s }

        envs:
          venv:
            key: [requirements.txt]
            build: "python3 -m venv {{env_dir}} && {{env_dir}}/bin/pip install -r requirements.txt"

        tasks:
          restart:
            phase: after_switch
            roles: [web]
            run: sudo systemctl restart newsbudget
          migrate:
            phase: before_switch
            roles: [db]
            once: true
            needs: [collectstatic]
            run: "{{release}}/venv/bin/python manage.py migrate --settings {{settings}}"
          collectstatic:
            phase: before_switch
            run: "{{release}}/venv/bin/python manage.py collectstatic --noinput"
            env: { SENTRY_DSN: "{{SENTRY_DSN}}" }
        """

    @Test func loadsTheDesignSketch() throws {
        let recipe = try InMemoryFiles(files: ["deploy.yml": Self.sketch]).loader.load(path: "deploy.yml").get()
        #expect(recipe.app == "newsbudget")
        #expect(recipe.environmentNames == ["staging", "prod"])
        #expect(recipe.shared == SharedPaths(dirs: ["media", "logs"], files: [".env"]))
        #expect(recipe.tasks.map(\.name) == ["restart", "migrate", "collectstatic"])
        let prod = try #require(recipe.environment(named: "prod"))
        #expect(prod.rolling.batch == .percent(25))
        #expect(prod.rolling.pauseSeconds == 0.5)
        #expect(prod.health?.intervalSeconds == 2)
        #expect(prod.hosts.map(\.name) == ["web1", "web2", "web3", "deploy@web4:2222", "db1"])
    }

    @Test func resolvesAnEnvironment() throws {
        let loader = InMemoryFiles(files: ["deploy.yml": Self.sketch]).loader
        let recipe = try loader.load(path: "deploy.yml").get()
        let staging = try loader.resolve(recipe, environment: "staging")
        #expect(staging.hosts == [FleetHost(address: HostAddress(parsing: "staging1")!, roles: ["web", "db"])])
        #expect(staging.vars["settings"] == "newsbudget.settings.staging")
        #expect(staging.tasks.map(\.name) == ["collectstatic", "migrate", "restart"])
        #expect(staging.fingerprint.count == 64)
        #expect(staging.fingerprint == (try loader.resolve(recipe, environment: "staging")).fingerprint)
        #expect(staging.fingerprint != (try loader.resolve(recipe, environment: "prod")).fingerprint)
    }

    @Test func unknownEnvironmentSuggests() throws {
        let loader = InMemoryFiles(files: ["deploy.yml": Self.sketch]).loader
        let recipe = try loader.load(path: "deploy.yml").get()
        #expect(throws: DiagnosticsError.self) { try loader.resolve(recipe, environment: "prd") }
        do {
            _ = try loader.resolve(recipe, environment: "prd")
        } catch {
            #expect(error.diagnostics.map(\.message) == ["unknown environment 'prd'; did you mean 'prod'?"])
        }
    }

    /// docs/recipe-reference.md, Values: "Durations are a number and a unit: `500ms`, `2s`, `1.5m`, `1h`".
    @Test(arguments: [("500ms", 0.5), ("2s", 2), ("1.5m", 90), ("1h", 3600)])
    func theDocumentedDurations(text: String, seconds: Double) throws {
        let loader = RecipeLoader(recipesDirectory: nil)
        let recipe = "app: shop\ndeploy_to: /srv/shop\nenvironments: { prod: { hosts: { web: [web1] }, rolling: { pause: \(text) } } }\n"
        let prod = try loader.resolve(try loader.load(text: recipe, path: "deploy.yml").get(), environment: "prod")
        #expect(prod.rolling.pauseSeconds == seconds)
    }
}
