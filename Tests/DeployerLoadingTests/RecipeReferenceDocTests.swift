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

    /// The recipes the README and the docs show load: each ```yaml block of README.md,
    /// docs/recipe-reference.md and docs/rolling.md that is a whole recipe (it starts with `app:` and has
    /// `environments:`) loads and resolves for each environment with no diagnostic; one that starts with
    /// one of `fragmentKeys` loads under a minimal `app`, `deploy_to` and environment with no diagnostic
    /// but an undefined variable (its vars and secrets are shown elsewhere).
    /// The first keys of the fragments loaded: top-level sections, and an environment's `hosts` and
    /// `rolling`. (`shell`, `source` and `health` blocks list alternatives of one key; `use` names files.)
    static let fragmentKeys: Set = ["environments", "tasks", "shared", "secrets", "envs", "maintenance", "vars", "notify",
                                    "hosts", "rolling"]

    @Test func theDocumentedExampleRecipesLoad() throws {
        let header = "app: example\ndeploy_to: /srv/example\n"
        let loader = RecipeLoader(recipesDirectory: Self.root.appendingPathComponent("Recipes").path)
        var (whole, fragments) = (0, 0)
        for document in ["README.md", "docs/recipe-reference.md", "docs/rolling.md"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            for (index, block) in text.components(separatedBy: "```yaml\n").dropFirst().enumerated() {
                let yaml = block.components(separatedBy: "```").first ?? ""
                let place = "\(document), yaml block \(index + 1)"
                if yaml.hasPrefix("app:"), yaml.contains("\nenvironments:") {
                    whole += 1
                    switch loader.load(text: yaml, path: place) {
                    case let .failure(error): Issue.record("\(place): \(error.diagnostics)")
                    case let .success(recipe):
                        for environment in recipe.environments {
                            #expect(throws: Never.self, "\(place), \(environment.name)") {
                                _ = try loader.resolve(recipe, environment: environment.name)
                            }
                        }
                    }
                } else if let key = yaml.split(separator: ":").first.map(String.init), Self.fragmentKeys.contains(key) {
                    fragments += 1
                    let environment = "environments:\n  staging:\n    hosts: { web: [web1], db: [db1] }\n"
                    let recipe: String
                    switch key {
                    case "environments": recipe = header + yaml
                    case "rolling", "hosts":  // an environment's keys: indented under one
                        recipe = header + "environments:\n  staging:\n" + (key == "hosts" ? "" : "    hosts: { web: [web1] }\n")
                            + yaml.split(separator: "\n").map { "    " + $0 + "\n" }.joined()
                    default: recipe = header + yaml + (yaml.contains("\nenvironments:") ? "" : environment)
                    }
                    guard case let .failure(error) = loader.load(text: recipe, path: place) else { continue }
                    let unexpected = error.diagnostics.filter { !$0.message.hasPrefix("undefined variable") }
                    #expect(unexpected.isEmpty, "\(place): \(unexpected)")
                }
            }
        }
        #expect(whole >= 2 && fragments >= 18, "\(whole) whole recipes, \(fragments) fragments")
    }
}
