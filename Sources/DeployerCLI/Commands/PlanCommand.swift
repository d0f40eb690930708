import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation
import DeployerReporting

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

    @Flag(help: ArgumentHelp("""
        Show what `deployer rollback ENV` would do instead: the release each host would go to, and whether \
        irreversible work stops it. Builds nothing.
        """))
    var rollback = false

    @Option(help: ArgumentHelp("With --rollback: the release to go back to, as `deployer rollback --to`.", valueName: "release"))
    var to: String?

    @Flag(help: "With --rollback: plan as `deployer rollback --past-irreversible` would go.")
    var pastIrreversible = false

    func validate() throws {
        if !rollback, to != nil || pastIrreversible {
            throw ValidationError("--to and --past-irreversible plan a rollback: add --rollback")
        }
        if rollback {
            let pushOnly = [("--revision", revisionOptions.revision != nil), ("--allow-dirty", revisionOptions.allowDirty),
                            ("--offline", offline), ("--out", out != nil), ("--run-guards", runGuards),
                            ("--batch", rolling.batch != nil)]
                .filter(\.1).map(\.0)
            if !pushOnly.isEmpty {
                throw ValidationError("\(pushOnly.joined(separator: ", ")) plan\(pushOnly.count == 1 ? "s" : "") a push, not a rollback: "
                    + "leave \(pushOnly.count == 1 ? "it" : "them") out of `plan --rollback`")
            }
        }
        if let to, !ReleaseID.isValid(to) {
            throw ValidationError("'\(to)' is not a release id (like 20261129T034500Z-3f2a9c1)")
        }
    }

    func run() async throws {
        // The plan is printed as a document (docs/plan.md); its run's events go to the audit log.
        try await CommandRun.perform(.plan, environment: environment, options: nil) { run in
            let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, run: run,
                                           batch: rolling.batch, limit: limit)
            run.report(.runStarted(action: .plan, environment: environment, runID: run.runID,
                                   hosts: context.environment.hosts.map(\.name)))
            if rollback { return try await planRollback(context, run: run) }
            let commit = try await revisionOptions.resolve(context.environment)
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
            case .json: FileHandle.standardOutput.writeUnlessClosed(json)
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

    /// `--rollback`: the plan a rollback would execute (`RollbackPlanner`), from a read-only probe of every host.
    private func planRollback(_ context: FleetContext, run: CommandRun) async throws {
        let inspection = await context.executor.inspect()
        let plan = RollbackPlanner.plan(environment: environment, hostOrder: inspection.hosts, facts: inspection.facts,
                                        unreachable: inspection.unreachable, requested: to.map(ReleaseID.init(rawValue:)),
                                        pastIrreversible: pastIrreversible)
        switch format {
        case .text: print(plan.renderText(), terminator: "")
        case .json: FileHandle.standardOutput.writeUnlessClosed(PlanMaker.json(plan))
        }
        let unreachable = plan.hosts.filter { $0.unreachable != nil }.map(\.name)
        run.report(.summary(RunSummary(
            action: .plan, result: unreachable.isEmpty ? .succeeded : .unreachable, release: plan.targetRelease,
            message: unreachable.isEmpty ? (plan.decision == .rollBack ? "a rollback would change something"
                                                : "a rollback would change nothing")
                : "unreachable: " + unreachable.joined(separator: ", "),
            hosts: [], seconds: 0)))
        if !unreachable.isEmpty { throw ExitCode.unreachable }
        if detailedExitcode && plan.decision == .rollBack { throw ExitCode.planHasChanges }
    }
}
