import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import DeployerReporting

/// `deployer releases ENV`: every release on the fleet, where it is, and what it is.
struct ReleasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List releases: id, revision, digest, date, author, hosts, current/previous/failed/rolled_back_from marks.",
        discussion: """
            Read-only; newest first. IRREVERSIBLE names the irreversible tasks that ran for a release and when \
            (a rollback to an older release needs --past-irreversible). Exit 4 when a host is unreachable.
            """)

    @OptionGroup var fleet: FleetReadOptions

    func run() async throws {
        try await fleet.inspect(.releases) { inspection, json in
            let reached = inspection.hosts.filter { inspection.facts[$0] != nil }
            var ids = Set<ReleaseID>()
            for host in reached { ids.formUnion(inspection.facts[host]!.releases.map(\.id)) }
            var table = ResultTable(type: "release", [
                ("RELEASE", "release"), ("REVISION", "revision"), ("DIGEST", "digest"), ("CREATED", "created_at"),
                ("BY", "created_by"), ("HOSTS", "hosts"), ("MARKS", "marks"),
                ("IRREVERSIBLE", "irreversible"),
            ])
            for id in ids.sorted(by: >) {
                let holders = reached.filter { inspection.facts[$0]!.release(id) != nil }
                let marker = holders.lazy.compactMap { inspection.facts[$0]!.release(id)?.marker }.first
                var marks: [String] = []
                let current = holders.filter { inspection.facts[$0]!.current == id }
                if !current.isEmpty { marks.append(current.count == reached.count ? "current" : "current on " + current.joined(separator: ",")) }
                if holders.contains(where: { inspection.facts[$0]!.previous == id }) { marks.append("previous") }
                let markings: [(String, (ReleaseOnHost) -> Bool)] = [
                    (ReleaseOnHost.State.failed.rawValue, { $0.state == .failed }),
                    (ReleaseOnHost.State.incomplete.rawValue, { $0.state == .incomplete }),
                    ("rolled_back_from", \.rolledBackFrom),
                ]
                for (mark, applies) in markings {
                    let marked = holders.filter { inspection.facts[$0]!.release(id).map(applies) == true }
                    if !marked.isEmpty { marks.append(mark + (marked.count == holders.count ? "" : " on " + marked.joined(separator: ","))) }
                }
                table.rows.append([
                    .string(id.rawValue),
                    .string(marker?.revision, text: marker.map { String($0.revision.prefix(12)) }),
                    .string(marker?.digest, text: marker.map { String($0.digest.prefix(12)) }),
                    .string(marker?.createdAt), .string(marker?.createdBy),
                    ResultTable.Cell(.array(holders.map(JSONValue.string)),
                                     text: holders.count == reached.count ? "all" : holders.joined(separator: ",")),
                    ResultTable.Cell(.array(marks.map(JSONValue.string)), text: marks.joined(separator: ", ")),
                    .irreversible(IrreversibleRun.merged(reached.flatMap { inspection.facts[$0]!.irreversible }
                        .filter { $0.release == id })),
                ])
            }
            print(table.rendered(json: json))
            for (host, message) in inspection.unreachable.sorted(by: { $0.key < $1.key }) where !json {
                print("\(host): unreachable: \(message.displaySafe)")
            }
        }
    }
}
