import DeployerLoading
import DeployerModel
import Testing

/// `lock_ttl`: how long a run's lock outlives its last heartbeat; a duration from 10 s to a day,
/// not in the fingerprint (it changes how runs wait for each other, not what runs on a host).
@Suite struct LockTTLLoadingTests {
    static func recipe(_ ttl: String?) -> String {
        (ttl.map { "lock_ttl: \($0)\n" } ?? "") + """
            app: shop
            deploy_to: /srv/shop
            environments: { prod: { hosts: { web: [web1] } } }
            """
    }

    static func resolved(_ ttl: String?) throws -> ResolvedEnvironment {
        let loader = RecipeLoader(recipesDirectory: nil)
        return try loader.resolve(try loader.load(text: recipe(ttl), path: "deploy.yml").get(), environment: "prod")
    }

    @Test func aLeaseIsADurationInWholeSecondsAndChangesNoFingerprint() throws {
        #expect(try Self.resolved("90s").lockTTLSeconds == 90)
        #expect(try Self.resolved("2m").lockTTLSeconds == 120)
        #expect(try Self.resolved(nil).lockTTLSeconds == nil)
        #expect(try Self.resolved("2m").fingerprint == Self.resolved(nil).fingerprint)
    }

    @Test(arguments: ["5s", "25h", "soon"])
    func aLeaseOutOfRangeOrNoDurationPointsAtItsValue(_ ttl: String) throws {
        guard case let .failure(error) = RecipeLoader(recipesDirectory: nil).load(text: Self.recipe(ttl), path: "deploy.yml") else {
            Issue.record("lock_ttl: \(ttl) accepted"); return
        }
        #expect(error.diagnostics.contains { $0.location?.line == 1 && $0.location?.column == 11 }, "\(error.diagnostics)")
    }

    @Test func theHeartbeatBeatsFiveTimesPerLeaseUpToEveryThirtySeconds() {
        #expect(LockLease.heartbeatSeconds(ttlSeconds: 10) == 2)
        #expect(LockLease.heartbeatSeconds(ttlSeconds: LockLease.defaultTTLSeconds) == 30)
    }
}
