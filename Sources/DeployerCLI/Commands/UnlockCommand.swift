import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation

/// `deployer unlock ENV`: remove a lock left by a run that died.
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove the deploy lock on every host of an environment (recorded in history).",
        discussion: "Only for a lock whose run is gone: `deployer status` shows who holds it and since when.")

    @OptionGroup var fleet: FleetReadOptions

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        try await CommandRun.perform(.unlock, environment: fleet.environment, options: fleet.output) { run in
            let context = try fleet.context(run: run)
            if !yes {
                guard isatty(0) == 1 else {
                    throw ValidationError("pass --yes to unlock without a terminal to confirm on")
                }
                print("Remove the deploy lock of \(fleet.environment) on \(context.environment.hosts.count) hosts, whoever holds it? [y/N] ",
                      terminator: "")
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                    print("nothing changed")
                    return
                }
            }
            let summary = await context.executor.forceUnlock(origin: .current(message: nil, runID: run.runID))
            throw summary.result.exitCode
        }
    }
}
