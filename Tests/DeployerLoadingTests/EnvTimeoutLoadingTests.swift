import DeployerLoading
import DeployerModel
import Testing

/// `envs.NAME.timeout`: a duration, in the fingerprint only when set.
@Suite struct EnvTimeoutLoadingTests {
    static func recipe(_ timeout: String?) -> String {
        """
        app: shop
        deploy_to: /srv/shop
        envs:
          venv:
            key: [requirements.txt]
            build: python3 -m venv {{env_dir}}\(timeout.map { "\n    timeout: \($0)" } ?? "")
        environments: { prod: { hosts: { web: [web1] } } }
        """
    }

    static func resolved(_ timeout: String?) throws -> ResolvedEnvironment {
        let loader = RecipeLoader(recipesDirectory: nil)
        return try loader.resolve(try loader.load(text: recipe(timeout), path: "deploy.yml").get(), environment: "prod")
    }

    @Test func aTimeoutIsADuration() throws {
        #expect(try Self.resolved("10m").dependencyEnvs[0].timeoutSeconds == 600)
        #expect(try Self.resolved(nil).dependencyEnvs[0].timeoutSeconds == nil)
    }

    @Test func onlyASetTimeoutChangesTheFingerprint() throws {
        let without = try Self.resolved(nil).fingerprint
        #expect(try Self.resolved("10m").fingerprint != without)
        #expect(try Self.resolved("10m").fingerprint == Self.resolved("600s").fingerprint)
    }

    /// `timeout: 0s` ran the command with no limit at all (timeout(1) takes 0 so, seen with a task
    /// sleeping 2 s that ended ok): refused at the value, for an env build and a task alike.
    @Test func aZeroTimeoutIsRefusedAtTheValue() {
        let message = "a timeout of 0 stops nothing (timeout(1) takes 0 as no limit); give a positive duration such as '10m', "
            + "or leave 'timeout' out"
        #expect(InMemoryFiles(files: ["deploy.yml": Self.recipe("0s")]).headlines() == ["deploy.yml:7:14: error: " + message])
        let task = Self.recipe(nil) + "\ntasks:\n  migrate: { phase: before_switch, run: ./migrate, timeout: 0ms }\n"
        #expect(InMemoryFiles(files: ["deploy.yml": task]).headlines() == ["deploy.yml:9:61: error: " + message])
    }

    @Test func aBadTimeoutPointsAtItsLine() throws {
        guard case let .failure(error) = RecipeLoader(recipesDirectory: nil).load(text: Self.recipe("soon"), path: "deploy.yml") else {
            Issue.record("accepted"); return
        }
        #expect(error.diagnostics.contains { $0.location?.line == 7 }, "\(error.diagnostics)")
    }
}
