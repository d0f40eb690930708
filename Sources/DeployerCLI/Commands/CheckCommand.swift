import ArgumentParser
import DeployerLoading
import DeployerModel
import DeployerPlanning

/// `deployer check`: load and validate the recipe and every environment, then
/// print a summary. Exit 0, or the diagnostics and exit 2.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the recipe and every environment; print a summary.",
        discussion: "Touches no host. Every problem is printed with its file, line and column; the exit code is 2 when there is one.")

    @OptionGroup var recipeOptions: RecipeDiscovery.Options

    func run() throws {
        let (recipe, loader) = try recipeOptions.load()
        var lines = ["\(recipe.file): ok — app \(recipe.app), \(recipe.environments.count) environment\(recipe.environments.count == 1 ? "" : "s"), \(recipe.tasks.count) task\(recipe.tasks.count == 1 ? "" : "s")"]
        let nameWidth = recipe.environmentNames.map(\.count).max() ?? 0
        for environment in recipe.environments {
            let resolved = try RecipeDiscovery.resolve(recipe, environment: environment.name, loader: loader)
            let graph = TaskGraph(resolved)
            let roles = environment.roles.map { role in "\(role.name) \(resolved.hosts(withRole: role.name).count)" }
            let hostCount = resolved.hosts.count
            lines.append("  " + environment.name + String(repeating: " ", count: nameWidth - environment.name.count)
                         + "  \(hostCount) host\(hostCount == 1 ? "" : "s") (" + roles.joined(separator: ", ") + ")"
                         + "  \(graph.nodes.count) task\(graph.nodes.count == 1 ? "" : "s")  fingerprint \(resolved.fingerprint.prefix(12))")
        }
        let perPhase = Phase.allCases.map { phase in "\(phase.rawValue) \(recipe.tasks.filter { $0.phase == phase }.count)" }
        lines.append("  tasks per phase: " + perPhase.joined(separator: ", "))
        print(lines.joined(separator: "\n"))
    }
}
