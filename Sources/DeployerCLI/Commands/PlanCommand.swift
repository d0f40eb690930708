import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation

/// `deployer plan ENV`: what a push would do, host by host; changes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a push would do on every host, without changing anything.",
        discussion: """
            Builds the artifact (no upload) and probes every host read-only in one round trip: current \
            release, releases, environments, the lock, and the creates guards that are plain absolute \
            paths. It runs no command from the recipe: unless and only_if are decided at push, unless \
            the task has read_only_guards: true and you pass --run-guards. Prints per host the release \
            to be created, each step as run, skip or unknown with the reason, what would be pruned, \
            and the batches. --out saves the plan for `deployer push --plan`. See docs/plan.md. \
            Exit: 0 (also with changes unless --detailed-exitcode: 10), 2 recipe or usage, 4 unreachable.
            """)

    @Argument(help: "The environment, e.g. prod.", completion: .environments)
    var environment: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var limit: LimitOptions
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var rolling: RollingOptions

    @OptionGroup var revisionOptions: RevisionOptions

    @Flag(help: "Contact no host: every host-dependent decision is shown as unknown.")
    var offline = false

    @Option(help: "text or json (docs/plan.md).")
    var format: PlanFormat = .text

    @Option(help: ArgumentHelp("Also write the plan as JSON here, for `deployer push --plan`.", valueName: "path"))
    var out: String?

    @Flag(help: ArgumentHelp("""
        Run the unless/only_if guards of tasks marked read_only_guards: true on the hosts. \
        They are recipe commands: use only with a recipe you trust (never a pull request's).
        """))
    var runGuards = false

    @Flag(help: "Exit 10 when a push would change something (for CI).")
    var detailedExitcode = false

    func run() async throws {
        // The plan is printed as a document (docs/plan.md); its run's events go to the audit log.
        try await CommandRun.perform(.plan, environment: environment, options: nil) { run in
            let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, run: run,
                                           batch: rolling.batch, limit: limit)
            run.report(.runStarted(action: .plan, environment: environment, runID: run.runID,
                                   hosts: context.environment.hosts.map(\.name)))
            let commit = try await revisionOptions.resolve(context.environment.source)
            let plan = try await PlanMaker(context: context)
                .make(commit: commit, unixTime: Int(Date().timeIntervalSince1970), offline: offline,
                      runGuards: runGuards).plan
            let json = PlanMaker.json(plan)
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: json) else {
                    throw ValidationError("cannot write the plan to \(out)")
                }
            }
            switch format {
            case .text: print(plan.renderText(), terminator: "")
            case .json: FileHandle.standardOutput.write(json)
            }
            let unreachable = plan.hosts.filter { $0.unreachable != nil }.map(\.name)
            run.report(.summary(RunSummary(
                action: .plan, result: unreachable.isEmpty ? .succeeded : .unreachable, release: ReleaseID(rawValue: plan.release),
                message: unreachable.isEmpty ? (plan.hasChanges ? "a push would change something" : "a push would change nothing")
                    : "unreachable: " + unreachable.joined(separator: ", "),
                hosts: [], seconds: 0)))
            if !unreachable.isEmpty { throw ExitCode.unreachable }
            if detailedExitcode && plan.hasChanges { throw ExitCode.planHasChanges }
        }
    }
}
