import ArgumentParser
import DeployerLoading
import DeployerPlanning

/// `deployer graph ENV`: the task graph of one environment, as text or Graphviz DOT.
struct GraphCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, dot }

    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show the task graph of an environment: phases, needs, and the hosts each task runs on.",
        discussion: "With --format dot, pipe into Graphviz: deployer graph prod --format dot | dot -Tsvg > graph.svg")

    @Argument(help: "The environment.", completion: .environments) var environment: String
    @Option(help: "text or dot.") var format: Format = .text
    @OptionGroup var recipeOptions: RecipeDiscovery.Options

    func run() throws {
        let (recipe, loader) = try recipeOptions.load()
        let graph = TaskGraph(try RecipeDiscovery.resolve(recipe, environment: environment, loader: loader))
        print(format == .dot ? graph.renderDOT() : graph.renderText(), terminator: "")
    }
}
