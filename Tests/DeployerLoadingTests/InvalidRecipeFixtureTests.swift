import DeployerLoading
import DeployerModel
import Foundation
import Testing

/// Every `Fixtures/invalid/NAME.yml` must fail to load with exactly the
/// diagnostics in `NAME.expected` (one `file:line:column: error: message`
/// headline per line, in the order printed).
///
/// To re-record after an intended change, run with
/// `DEPLOYER_RECORD_FIXTURES=1`: the expected files are rewritten and the
/// run fails, so that recording never passes silently.
@Suite struct InvalidRecipeFixtureTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    static let invalid = fixtures.appendingPathComponent("invalid")

    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: invalid.path)) ?? [])
        .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()

    static func loader() -> RecipeLoader {
        let base = invalid.path
        return RecipeLoader(recipesDirectory: fixtures.appendingPathComponent("recipes").path, readFile: { path in
            try RecipeLoader.readFromDisk(path.hasPrefix("/") ? path : base + "/" + path)
        })
    }

    @Test func thereAreAtLeastThirtyFixtures() {
        #expect(Self.names.count >= 30)
    }

    @Test(arguments: names) func fixture(_ name: String) throws {
        let actual: [String]
        switch Self.loader().load(path: name + ".yml") {
        case .success: actual = []
        case let .failure(error): actual = error.diagnostics.map(\.headline)
        }
        let expectedURL = Self.invalid.appendingPathComponent(name + ".expected")
        if ProcessInfo.processInfo.environment["DEPLOYER_RECORD_FIXTURES"] == "1" {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/invalid/\(name).expected")
            try (actual.joined(separator: "\n") + "\n").write(to: source, atomically: true, encoding: .utf8)
            Issue.record("re-recorded \(name).expected; review the diff and run again without DEPLOYER_RECORD_FIXTURES")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(!actual.isEmpty, "\(name).yml loaded without errors")
        #expect(actual == expected)
    }
}
