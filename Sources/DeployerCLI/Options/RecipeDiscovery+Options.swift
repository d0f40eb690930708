import ArgumentParser
import DeployerLoading
import DeployerModel

extension RecipeDiscovery {
    /// `-f/--file`, shared by every command that reads the recipe.
    public struct Options: ParsableArguments {
        @Option(name: [.short, .long], help: "The recipe (default: the nearest deploy.yml in this directory or above).",
                completion: .file(extensions: ["yml", "yaml"]))
        public var file: String?

        /// Options as ArgumentParser fills them.
        public init() {}

        /// The loaded recipe, or diagnostics printed and exit code 2.
        public func load() throws -> (recipe: Recipe, loader: RecipeLoader) {
            try RecipeDiscovery.load(file: file)
        }
    }
}
