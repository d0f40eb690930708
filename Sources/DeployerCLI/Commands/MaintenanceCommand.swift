import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerReporting

/// `deployer maintenance ENV on|off|status`: the app's maintenance page, on every host.
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Turn maintenance mode on or off on every host, or show it (status).",
        discussion: """
            on and off run under the deploy lock, on every host, in deploy_to: the recipe's \
            maintenance: { on, off } commands, or without them create and remove shared/maintenance.on, \
            which the built-in recipes' app servers honour (503 with a maintenance page; /health still \
            answers). Recorded in each host's history (maintenance_on, maintenance_off) and in \
            .deployer/maintenance while on. status shows, per host, whether it is on, since when and by \
            whom (read-only). push --maintenance turns it on for a push and off at its end.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case on, off, status
    }

    @Argument(help: "The environment, e.g. prod.", completion: .environments)
    var environment: String

    @Argument(help: "on, off or status.")
    var action: Action

    @OptionGroup var options: FleetChangeOptions

    /// Refuses what this command would otherwise take and ignore: it switches no batch, and `status`
    /// reads without the lock.
    func validate() throws {
        if options.rolling.batch != nil {
            throw ValidationError("--batch is for the commands that switch hosts in batches (push, switch, promote, rollback); "
                + "maintenance \(action.rawValue) acts on every host at once (--hosts or --roles limit it)")
        }
        let lock = options.lock
        if action == .status, lock.lockWait != 0 || lock.breakStaleLock || lock.message != nil {
            let given = [lock.lockWait != 0 ? "--lock-wait" : nil, lock.breakStaleLock ? "--break-stale-lock" : nil,
                         lock.message != nil ? "-m" : nil].compactMap { $0 }
            throw ValidationError("maintenance status reads without taking the lock: \(given.joined(separator: ", ")) "
                + "\(given.count == 1 ? "is" : "are") for maintenance on and off")
        }
    }

    func run() async throws {
        if action == .status { return try await status() }
        try await CommandRun.perform(.maintenance, environment: environment, options: options.output) { run in
            let context = try options.context(environment: environment, run: run)
            let origin = RunOrigin.current(message: options.lock.message, runID: run.runID)
            let summary = await context.interruptible { await context.executor.maintenance(on: action == .on, origin: origin) }
            throw summary.result.exitCode
        }
    }

    /// A row per host: whether maintenance mode is on, since when, by whom.
    private func status() async throws {
        try await CommandRun.perform(.status, environment: environment, options: options.output) { run in
            let context = try options.context(environment: environment, run: run)
            let summary = await context.executor.inspected(.status, runID: run.runID)
            context.finish()
            let inspection = summary.inspection
            var table = ResultTable(type: "maintenance_status", [
                ("HOST", "host"), ("MAINTENANCE", "maintenance"), ("SINCE", "since"), ("BY", "by"), ("PROBLEM", "problem"),
            ])
            for host in inspection.hosts {
                let facts = inspection.facts[host]
                let state = facts?.maintenance
                table.rows.append([
                    .string(host), ResultTable.Cell(facts == nil ? .null : .bool(state != nil), text: facts == nil ? "?" : state == nil ? "off" : "on"),
                    .string(state?.since), .string(state?.by),
                    .string(facts == nil ? inspection.unreachable[host] ?? "unknown" : nil),
                ])
            }
            print(table.rendered(json: options.output.resolvedFormat == .json))
            throw summary.result.exitCode
        }
    }
}
