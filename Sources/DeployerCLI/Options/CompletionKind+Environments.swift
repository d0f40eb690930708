import ArgumentParser
import DeployerLoading
import DeployerModel

extension CompletionKind {
    /// Completes environment names from the recipe: the one `-f FILE` names
    /// on the command line, else the nearest `deploy.yml`; nothing when it
    /// does not load.
    static var environments: CompletionKind {
        .custom { words, _, _ in environmentNames(words: words) }
    }

    /// The environments of the recipe the command line `words` would use.
    static func environmentNames(words: [String]) -> [String] {
        recipe(words: words)?.environmentNames ?? []
    }

    /// The recipe the command line `words` would use (`-f FILE`, else the nearest `deploy.yml`), nil when it does not load.
    static func recipe(words: [String]) -> Recipe? {
        let file = words.indices.dropLast().last { ["-f", "--file"].contains(words[$0]) }.map { words[$0 + 1] }
        guard let path = try? RecipeDiscovery.locate(file: file),
              case let .success(recipe) = RecipeLoader(recipesDirectory: RecipeDiscovery.recipesDirectory()).load(path: path)
        else { return nil }
        return recipe
    }
}
