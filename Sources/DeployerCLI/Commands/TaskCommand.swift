import ArgumentParser
import DeployerExecution
import DeployerLoading
import DeployerModel

/// `deployer task ENV NAME [--hosts …] [--roles …]`: one task of the recipe, on demand, against the
/// release each of its hosts runs (`cap prod deploy:restart`).
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one task of the recipe on its hosts, in the release current points at (e.g. restart).",
        discussion: """
            The task runs as a push runs it: on the hosts of its roles (on the first of them for a `once` \
            task), with its {{ }} values filled for the release each host runs, its env and secrets (masked \
            in every output), its guards, timeout and max_parallel, in the recipe's shell; its `needs` are \
            not run. Only those hosts are locked (--lock-wait, --break-stale-lock as for push). Its output \
            (standard output and error, the last 1,000 lines) is shown when it ends; the whole log stays \
            in .deployer/tasks/NAME.log on each host, and each host records the run in its history. \
            Build steps, prepare and on_failure tasks are refused (they make or repair a release). \
            A host with no current release fails. Exit: 0 done, 1 the task failed on a host, 2 recipe or \
            usage (an unknown task), 3 lock held, 4 hosts unreachable.
            """)

    @Argument(help: "The environment, e.g. prod.", completion: .environments)
    var environment: String

    @Argument(help: "The task's name in deploy.yml, e.g. restart.", completion: .tasks)
    var name: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var limit: LimitOptions
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await CommandRun.perform(.task, environment: environment, options: output) { run in
            var context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, lock: lock, run: run,
                                           limit: limit)
            let (task, hosts) = try Self.onDemand(name, in: context)
            context.executor.environment = hosts
            context.executor.limit = context.executor.limit.map { HostLimit(fleet: $0.fleet, selected: hosts.hosts) }
            let origin = RunOrigin.current(message: lock.message, runID: run.runID)
            let summary = await context.interruptible { await context.executor.runTask(task, origin: origin) }
            throw summary.result.exitCode
        }
    }

    /// The task named `name` and the environment narrowed to its hosts; a recipe error (exit 2) shows the task's line.
    private static func onDemand(_ name: String, in context: FleetContext) throws -> (ResolvedTask, ResolvedEnvironment) {
        do {
            return try context.environment.onDemandTask(named: name)
        } catch {
            throw DiagnosticsError(error.diagnostics, sources: context.recipeSources)
        }
    }
}
