import ArgumentParser
import DeployerExecution

/// The environment and options of the commands that only look at a fleet or
/// clear its lock (`status`, `releases`, `unlock`): they run no task, so they
/// need no secret.
struct FleetReadOptions: ParsableArguments {
    @Argument(help: "The environment.", completion: .environments)
    var environment: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var limit: LimitOptions
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var output: OutputOptions

    /// The fleet of `environment`, its run shown and recorded as `command`.
    func context(command: String) throws -> FleetContext {
        try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, output: output, command: command,
                         limit: limit, readsSecrets: false)
    }

    /// Every host probed read-only, the run's output finished; `json` when
    /// the result is to be printed as JSON lines rather than a table.
    func inspect(command: String) async throws -> (inspection: FleetInspection, json: Bool) {
        let context = try context(command: command)
        let inspection = await context.executor.inspect()
        context.finish()
        return (inspection, output.resolvedFormat == .json)
    }
}
