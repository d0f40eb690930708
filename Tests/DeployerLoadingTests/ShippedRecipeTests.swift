import DeployerLoading
import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// The built-in recipes under `Recipes/` and every `Examples/**/deploy.yml`
/// load, resolve and graph without a diagnostic.
@Suite struct ShippedRecipeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let recipes = root.appendingPathComponent("Recipes").path

    static let builtins: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: recipes)) ?? [])
        .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()

    static let examples: [String] = {
        let examples = root.appendingPathComponent("Examples")
        let walker = FileManager.default.enumerator(atPath: examples.path)
        var found: [String] = []
        while let path = walker?.nextObject() as? String {
            if path == "deploy.yml" || path.hasSuffix("/deploy.yml") { found.append(examples.appendingPathComponent(path).path) }
        }
        return found.sorted()
    }()

    @Test func theDocumentedRecipesExist() {
        for name in ["python-virtualenv", "node", "static-site", "systemd-service", "django"] {
            #expect(Self.builtins.contains(name))
        }
    }

    @Test(arguments: builtins) func builtinRecipeLoadsUnderAnApp(_ name: String) throws {
        let app = """
            use: [\(name)]
            app: shop
            deploy_to: /srv/shop
            environments:
              staging: { hosts: { web: [staging1], db: [staging1] } }
              prod: { hosts: { web: [web1, web2], db: [db1] } }
            """
        let loader = RecipeLoader(recipesDirectory: Self.recipes)
        let recipe = try Self.expectLoads(loader.load(text: app, path: "deploy.yml"))
        for environment in recipe.environmentNames {
            let graph = TaskGraph(try loader.resolve(recipe, environment: environment))
            #expect(graph.nodes.count == recipe.tasks.count)
            #expect(!graph.renderText().isEmpty && graph.renderDOT().hasPrefix("digraph"))
        }
    }

    @Test func examplesExist() {
        #expect(!Self.examples.isEmpty)
    }

    @Test(arguments: examples) func exampleLoadsAndGraphs(_ path: String) throws {
        let loader = RecipeLoader(recipesDirectory: Self.recipes)
        let recipe = try Self.expectLoads(loader.load(path: path))
        for environment in recipe.environmentNames {
            let resolved = try loader.resolve(recipe, environment: environment)
            #expect(!TaskGraph(resolved).hosts.isEmpty)
        }
    }

    static func expectLoads(_ result: Result<Recipe, DiagnosticsError>) throws -> Recipe {
        if case let .failure(error) = result {
            Issue.record("\(error.diagnostics.map { $0.rendered(source: $0.location.flatMap { error.sources[$0.file] }) }.joined(separator: "\n"))")
        }
        return try result.get()
    }
}
