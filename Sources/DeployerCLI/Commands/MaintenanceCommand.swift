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
