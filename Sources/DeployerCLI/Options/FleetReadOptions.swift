import ArgumentParser
import DeployerExecution
import DeployerModel

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

    /// The fleet of `environment`, shown and recorded as `run`.
    func context(run: CommandRun) throws -> FleetContext {
        try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, run: run, limit: limit,
                         readsSecrets: false)
    }

    /// Every host probed read-only, reported as a run of `action` from `run_started` to its
    /// `summary` (exit 4 when a host is unreachable), the output finished, then `print`ed
    /// with `json` when the result is to be printed as JSON lines rather than a table.
    func inspect(_ action: RunAction, print: (FleetInspection, _ json: Bool) throws -> Void) async throws {
        try await CommandRun.perform(action, environment: environment, options: output) { run in
            let context = try context(run: run)
            let summary = await context.executor.inspected(action, runID: run.runID)
            context.finish()
            try print(summary.inspection, output.resolvedFormat == .json)
            throw summary.result.exitCode
        }
    }
}
