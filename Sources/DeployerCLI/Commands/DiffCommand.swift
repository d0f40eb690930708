import ArgumentParser
import DeployerLoading

/// `deployer diff A B`: what differs between two environments once resolved.
/// Exit 0 when only declared differences remain (hosts, vars, allowed role
/// differences), 1 when there is drift (rolling, health, roles, tasks).
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two environments once resolved: hosts, roles, tasks per role, vars, rolling, health.",
        discussion: """
            Host lists and vars are expected to differ, and so are roles when an environment sets \
            allow_role_differences: these are declared differences. Anything else is drift. \
            --live adds which release each environment runs, read from its hosts. \
            Exit status: 0 with only declared differences, 1 with drift, 2 for a recipe error.
            """)

    @Argument(help: "The first environment (e.g. staging).", completion: .environments) var left: String
    @Argument(help: "The second environment (e.g. prod).", completion: .environments) var right: String
    @OptionGroup var recipeOptions: RecipeDiscovery.Options
    @OptionGroup var ssh: SSHOptions

    @Flag(help: "Also show which release each environment runs (probes the hosts read-only).")
    var live = false

    func run() async throws {
        let (recipe, loader) = try recipeOptions.load()
        let a = try RecipeDiscovery.resolve(recipe, environment: left, loader: loader)
        let b = try RecipeDiscovery.resolve(recipe, environment: right, loader: loader)
        let allowed = [left, right].contains { recipe.environment(named: $0)?.allowRoleDifferences == true }
        let diff = EnvironmentDiff(a, b, allowRoleDifferences: allowed)
        print(diff.renderText(), terminator: "")
        if live { try await printLive() }
        if diff.hasDrift { throw ExitCode.failure }
    }
}
