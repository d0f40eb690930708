import ArgumentParser
@testable import DeployerCLI
import Foundation
import Testing

/// The artifact cache's place and bounds as the README gives them: `$XDG_CACHE_HOME/deployer/artifacts`
/// (`~/.cache/deployer/artifacts`), `DEPLOYER_CACHE_MAX_SIZE` (default `2G`; bytes or `K`/`M`/`G`) and
/// `DEPLOYER_CACHE_MAX_ENTRIES` (default 20); a value that is not one is refused naming the variable.
@Suite struct ArtifactCacheSettingsTests {
    static func cache(_ environment: [String: String]) throws -> (directory: String, bytes: Int, entries: Int) {
        let cache = try FleetContext.artifactCache(environment: ["HOME": "/home/ana"].merging(environment) { $1 })
        return (cache.directory, cache.limits.maxBytes, cache.limits.maxEntries)
    }

    @Test func theDefaults() throws {
        let cache = try Self.cache([:])
        #expect(cache.directory == "/home/ana/.cache/deployer/artifacts")
        #expect(cache.bytes == 2 << 30 && cache.entries == 20)
        #expect(try Self.cache(["XDG_CACHE_HOME": "/var/cache/ana"]).directory == "/var/cache/ana/deployer/artifacts")
    }

    @Test(arguments: [("1000", 1000), ("64K", 64 << 10), ("500M", 500 << 20), ("500m", 500 << 20), ("3G", 3 << 30)])
    func sizesInBytesOrWithAUnit(text: String, bytes: Int) throws {
        #expect(try Self.cache(["DEPLOYER_CACHE_MAX_SIZE": text]).bytes == bytes)
    }

    @Test func entries() throws {
        #expect(try Self.cache(["DEPLOYER_CACHE_MAX_ENTRIES": "3"]).entries == 3)
    }

    @Test(arguments: [("DEPLOYER_CACHE_MAX_SIZE", "1.5G"), ("DEPLOYER_CACHE_MAX_SIZE", "-1"), ("DEPLOYER_CACHE_MAX_SIZE", "2T"),
                      ("DEPLOYER_CACHE_MAX_ENTRIES", "0"), ("DEPLOYER_CACHE_MAX_ENTRIES", "many")])
    func aValueThatIsNotOneIsRefusedNamingTheVariable(name: String, value: String) {
        let error = #expect(throws: ValidationError.self) { try Self.cache([name: value]) }
        #expect(error?.message.hasPrefix("\(name)='\(value)' is not") == true, "\(String(describing: error))")
    }

    /// A size too large for the byte count, or a last character whose capital is two letters (`ß`), stopped
    /// deployer with a fatal error (an arithmetic overflow; `Character("SS")`) rather than the refusal, so
    /// they run in the built executable, where a crash is an exit status rather than the end of this test run.
    @Test(arguments: ["9999999999999G", "1ß"])
    func aSizeThatCrashedIsRefused(value: String) async throws {
        let directory = NSTemporaryDirectory() + "deployer-cache-size-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "app: shop\nsource: { dir: . }\ndeploy_to: /srv/shop\nenvironments:\n  staging:\n    hosts: { web: [s1] }\n"
            .write(toFile: directory + "/deploy.yml", atomically: true, encoding: .utf8)
        let run = try await DeployerProcess(["build", "staging"], in: directory, sshConfig: "/dev/null",
                                            overrides: ["DEPLOYER_CACHE_MAX_SIZE": value]).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("DEPLOYER_CACHE_MAX_SIZE='\(value)' is not a size"), "\(run.output)")
    }
}
