import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning

/// `deployer releases ENV`: every release on the fleet, where it is, and what it is.
struct ReleasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List releases: id, revision, digest, date, author, hosts, current/previous/failed marks.",
        discussion: "Read-only; newest first. Exit 4 when a host is unreachable.")

    @Argument(help: "The environment.", completion: .environments)
    var environment: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, output: output,
                                       command: "releases")
        let inspection = await context.executor.inspect()
        context.finish()
        let reached = inspection.hosts.filter { inspection.facts[$0] != nil }
        var ids = Set<ReleaseID>()
        for host in reached { ids.formUnion(inspection.facts[host]!.releases.map(\.id)) }
        var table = TextTable(header: ["RELEASE", "REVISION", "DIGEST", "CREATED", "BY", "HOSTS", "MARKS"])
        for id in ids.sorted(by: >) {
            let holders = reached.filter { inspection.facts[$0]!.release(id) != nil }
            let marker = holders.lazy.compactMap { inspection.facts[$0]!.release(id)?.marker }.first
            var marks: [String] = []
            let current = holders.filter { inspection.facts[$0]!.current == id }
            if !current.isEmpty { marks.append(current.count == reached.count ? "current" : "current on " + current.joined(separator: ",")) }
            if holders.contains(where: { inspection.facts[$0]!.previous == id }) { marks.append("previous") }
            for state in [ReleaseOnHost.State.failed, .incomplete] {
                let marked = holders.filter { inspection.facts[$0]!.release(id)?.state == state }
                if !marked.isEmpty { marks.append(state.rawValue + (marked.count == holders.count ? "" : " on " + marked.joined(separator: ","))) }
            }
            table.rows.append([id.rawValue, String(marker?.revision.prefix(12) ?? "-"), String(marker?.digest.prefix(12) ?? "-"),
                               marker?.createdAt ?? "-", marker?.createdBy ?? "-",
                               holders.count == reached.count ? "all" : holders.joined(separator: ","),
                               marks.joined(separator: ", ")])
        }
        print(table.text)
        for (host, message) in inspection.unreachable.sorted(by: { $0.key < $1.key }) {
            print("\(host): unreachable: \(message)")
        }
        if !inspection.unreachable.isEmpty { throw ExitCode.unreachable }
    }
}
