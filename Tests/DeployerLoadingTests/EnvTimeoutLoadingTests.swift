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

    @Test func aBadTimeoutPointsAtItsLine() throws {
        guard case let .failure(error) = RecipeLoader(recipesDirectory: nil).load(text: Self.recipe("soon"), path: "deploy.yml") else {
            Issue.record("accepted"); return
        }
        #expect(error.diagnostics.contains { $0.location?.line == 7 }, "\(error.diagnostics)")
    }
}
