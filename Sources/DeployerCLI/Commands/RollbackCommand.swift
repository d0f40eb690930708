import ArgumentParser
import DeployerExecution
import DeployerModel

/// `deployer rollback ENV [--to ID]`: switch every host back to an earlier release.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Switch every host back to the previous good release (or --to one).",
        discussion: """
            The target must be present, complete and not marked failed on every host; this is \
            checked under the lock before any host switches. after_switch and after_rollback tasks \
            run in it, in the rolling batches and with the health checks of a push (a failing \
            batch halts). Exit 1 with a message when there is no such release. Exit 2 when the \
            target is older than a release an `irreversible: true` task ran for (on any host), naming \
            the task, the release and when it ran; --past-irreversible rolls back anyway.
            """)

    @Argument(help: "The environment, e.g. prod.", completion: .environments)
    var environment: String

    @Option(help: ArgumentHelp("The release id to go back to (see `deployer releases`).", valueName: "release"))
    var to: String?

    @Flag(help: "Roll back even past a release an irreversible task ran for (what it changed stays changed).")
    var pastIrreversible = false

    @OptionGroup var options: FleetChangeOptions

    func validate() throws {
        if let to, !ReleaseID.isValid(to) {
            throw ValidationError("'\(to)' is not a release id (like 20261129T034500Z-3f2a9c1)")
        }
    }

    func run() async throws {
        try await CommandRun.perform(.rollback, environment: environment, options: options.output) { run in
            let context = try options.context(environment: environment, run: run)
            let request = RollbackRequest(target: to.map(ReleaseID.init(rawValue:)),
                                          origin: .current(message: options.lock.message, runID: run.runID),
                                          pastIrreversible: pastIrreversible)
            let summary = await context.interruptible { await context.executor.rollback(request) }
            throw summary.result.exitCode
        }
    }
}
