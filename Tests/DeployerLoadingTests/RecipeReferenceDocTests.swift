@testable import DeployerLoading
import Foundation
import Testing

/// docs/recipe-reference.md documents every key of every section of
/// `RecipeSchema`, every built-in template name and every built-in recipe, and
/// documents nothing else as a key, so the schema and its reference cannot
/// drift apart either way.
@Suite struct RecipeReferenceDocTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let reference = (try? String(contentsOf: root.appendingPathComponent("docs/recipe-reference.md"),
                                        encoding: .utf8)) ?? ""

    /// The recipes in `Recipes/`, by the name `use:` takes.
    static let builtinRecipes: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Recipes").path)) ?? []
        return files.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
    }()

    /// The first cell of each table row whose first cell is one backquoted name: `| `name` | …`.
    static let documentedNames: [String] = reference.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("| `") else { return nil }
        let cell = line.dropFirst(3).prefix { $0 != "`" }
        return line.dropFirst(3 + cell.count).hasPrefix("` |") ? String(cell) : nil
    }

    @Test func everyKeyIsDocumented() {
        #expect(!Self.reference.isEmpty)
        for section in RecipeSchema.sections {
            for key in section.keys {
                #expect(Self.reference.contains("| `\(key)` |"), "'\(key)' (\(section.name)) has no row in the reference")
            }
        }
    }

    @Test func everyTemplateNameIsDocumented() {
        for name in RecipeSchema.builtinVariables + [RecipeSchema.envDirVariable] {
            #expect(Self.reference.contains("| `\(name)` |"), "template name '\(name)' is not in the reference")
        }
    }

    @Test func everyBuiltinRecipeIsDocumented() {
        #expect(Self.builtinRecipes.count >= 7)
        for recipe in Self.builtinRecipes {
            #expect(Self.reference.contains("| `\(recipe)` |"), "built-in recipe '\(recipe)' has no row in the reference")
        }
    }

    /// A row for a key the loader does not know would tell users to write
    /// something `deployer check` refuses.
    @Test func everyDocumentedNameIsAKeyATemplateNameOrABuiltinRecipe() {
        let known = Set(RecipeSchema.sections.flatMap(\.keys) + RecipeSchema.builtinVariables
                        + [RecipeSchema.envDirVariable] + Self.builtinRecipes)
        #expect(Self.documentedNames.count >= 70)
        for name in Self.documentedNames {
            #expect(known.contains(name), "docs/recipe-reference.md has a row for '\(name)', which no section of RecipeSchema, template name or file in Recipes/ has")
        }
    }

    /// The whole recipes the README and the reference show (a ```yaml block that starts with `app:` and has
    /// `environments:`) load, and resolve for each environment, with no diagnostic.
    @Test func theDocumentedExampleRecipesLoad() throws {
        var examples = 0
        for document in ["README.md", "docs/recipe-reference.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            for (index, block) in text.components(separatedBy: "```yaml\n").dropFirst().enumerated() {
                let yaml = block.components(separatedBy: "```").first ?? ""
                guard yaml.hasPrefix("app:"), yaml.contains("\nenvironments:") else { continue }
                examples += 1
                let loader = RecipeLoader(recipesDirectory: Self.root.appendingPathComponent("Recipes").path)
                switch loader.load(text: yaml, path: "\(document) example \(index + 1)") {
                case let .failure(error):
                    Issue.record("\(document), yaml block \(index + 1): \(error.diagnostics)")
                case let .success(recipe):
                    for environment in recipe.environments {
                        #expect(throws: Never.self, "\(document), yaml block \(index + 1), \(environment.name)") {
                            _ = try loader.resolve(recipe, environment: environment.name)
                        }
                    }
                }
            }
        }
        #expect(examples >= 2)
    }
}
