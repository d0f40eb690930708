import ArgumentParser
import DeployerLoading

extension CompletionKind {
    /// Completes task names from the recipe the command line names (as `environments` finds it): the
    /// tasks `deployer task` can run; nothing when it does not load.
    static var tasks: CompletionKind {
        .custom { words, _, _ in
            guard let recipe = recipe(words: words) else { return [] }
            return recipe.tasks.filter(\.runsOnDemand).map(\.name)
        }
    }
}
