import ArgumentParser
import DeployerExecution
import DeployerModel

/// `deployer switch ENV RELEASE`: switch every host to a release `push --prepare-only` prepared.
struct SwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch",
        abstract: "Switch every host to a release prepared by `push --prepare-only`.",
        discussion: """
            Locks every host and checks that each has the release intact (present, complete, not \
            marked failed, the same artifact everywhere); where one does not, exits 1 naming the hosts \
            and switches nothing. Then runs what a push runs after its prepare: before_switch tasks, \
            the switch in rolling batches with after_switch tasks and health checks (on_failure as \
            the recipe says), after_fleet tasks, history and unlock. Old releases are not pruned: the \
            next push prunes. \
            Exit: 0 done, 1 not prepared everywhere or the switch failed, 2 recipe or usage, 3 lock held, 4 hosts unreachable.
            """)

    @Argument(help: "The environment, e.g. prod.", completion: .environments)
    var environment: String

    @Argument(help: "The release id `push --prepare-only` printed (see `deployer releases`).")
    var release: String

    @OptionGroup var options: FleetChangeOptions

    func validate() throws {
        if !ReleaseID.isValid(release) {
            throw ValidationError("'\(release)' is not a release id (like 20261129T034500Z-3f2a9c1)")
        }
    }

    func run() async throws {
        try await CommandRun.perform(.switchRelease, environment: environment, options: options.output) { run in
            let context = try options.context(environment: environment, run: run)
            let request = SwitchRequest(release: ReleaseID(rawValue: release),
                                        origin: .current(message: options.lock.message, runID: run.runID))
            let summary = await context.interruptible { await context.executor.switchRelease(request) }
            throw summary.result.exitCode
        }
    }
}
