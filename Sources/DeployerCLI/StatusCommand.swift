import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning

/// `deployer status ENV`: which release each host runs, who deployed it, locks, reachability.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show per host the current release, its revision, when and by whom, the lock, reachability.",
        discussion: "Read-only. A drift line names the hosts that run different releases. Exit 4 when a host is unreachable.")

    @Argument(help: "The environment.", completion: .environments)
    var environment: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, output: output,
                                       command: "status")
        let inspection = await context.executor.inspect()
        context.finish()
        var table = TextTable(header: ["HOST", "REACHABLE", "CURRENT", "REVISION", "DEPLOYED", "BY", "LOCK"])
        for host in inspection.hosts {
            guard let facts = inspection.facts[host] else {
                table.rows.append([host, "no: " + (inspection.unreachable[host] ?? "unknown"), "", "", "", "", ""])
                continue
            }
            let marker = facts.currentMarker
            var lock = "-"
            if let state = facts.lock {
                lock = "held by \(state.lease?.origin.who ?? "unknown") since \(state.lease?.since ?? "?")"
                    + (state.isStale(defaultTTL: ExecutorOptions().lockTTLSeconds) ? " (stale)" : "")
            }
            table.rows.append([host, "yes", facts.current?.rawValue ?? "none", String(marker?.revision.prefix(12) ?? "-"),
                               marker?.createdAt ?? "-", marker?.createdBy ?? "-", lock])
        }
        print(table.text)
        if let drift = inspection.drift {
            print("drift: " + drift.sorted { ($0.key?.rawValue ?? "") < ($1.key?.rawValue ?? "") }
                .map { "\($0.value.joined(separator: ", ")) on \($0.key?.rawValue ?? "no release")" }
                .joined(separator: "; "))
        } else if let release = inspection.facts.values.first?.current, inspection.unreachable.isEmpty {
            print("every host runs \(release)")
        }
        if !inspection.unreachable.isEmpty { throw ExitCode.unreachable }
    }
}
