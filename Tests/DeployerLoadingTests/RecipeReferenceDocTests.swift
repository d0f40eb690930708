@testable import DeployerLoading
import Foundation
import Testing

/// docs/recipe-reference.md documents every key of every section of
/// `RecipeSchema` and every built-in template name, so the schema and its
/// reference cannot drift apart.
@Suite struct RecipeReferenceDocTests {
    static let reference: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/recipe-reference.md"), encoding: .utf8)) ?? ""
    }()

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
}
