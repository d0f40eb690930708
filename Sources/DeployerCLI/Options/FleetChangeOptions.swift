import ArgumentParser

/// The options of the commands that change a fleet (`push`, `switch`, `rollback`, `promote`, `maintenance`): the recipe,
/// SSH, the lock, the rolling policy, a limit to some hosts and the output.
struct FleetChangeOptions: ParsableArguments {
    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var limit: LimitOptions
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var rolling: RollingOptions
    @OptionGroup var output: OutputOptions

    /// The fleet of `environment`, shown and recorded as `run`.
    func context(environment: String, run: CommandRun) throws -> FleetContext {
        try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, lock: lock, run: run,
                         batch: rolling.batch, limit: limit)
    }
}
