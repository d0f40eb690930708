import DeployerLoading
import DeployerModel

/// A file system in a dictionary, for loading recipes without touching disk.
struct InMemoryFiles: Sendable {
    struct Missing: Error {}
    var files: [String: String]

    var loader: RecipeLoader { loader(recipesDirectory: "recipes") }

    func loader(recipesDirectory: String?) -> RecipeLoader {
        let files = self.files
        return RecipeLoader(recipesDirectory: recipesDirectory, readFile: { path in
            guard let text = files[path] else { throw Missing() }
            return text
        }, listDirectory: { directory in
            files.keys.filter { $0.hasPrefix(directory + "/") }.map { String($0.dropFirst(directory.count + 1)) }
        })
    }

    /// Loads `deploy.yml` and returns its diagnostics' headlines (empty when it loads).
    func headlines(_ path: String = "deploy.yml") -> [String] {
        switch loader.load(path: path) {
        case .success: return []
        case let .failure(error): return error.diagnostics.map(\.headline)
        }
    }
}
