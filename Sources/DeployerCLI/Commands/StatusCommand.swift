import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import DeployerReporting

/// `deployer status ENV`: which release each host runs, who deployed it, locks, reachability.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show per host the current release, its revision, when and by whom, the lock, reachability.",
        discussion: """
            Read-only. A drift line names the hosts that run different releases. IRREVERSIBLE: the newest \
            irreversible task run the host records (a rollback to a release older than its release needs \
            --past-irreversible). MAINTENANCE: on (since when, by whom) or off (`deployer maintenance`). Exit 4 when a host is unreachable.
            """)

    @OptionGroup var fleet: FleetReadOptions

    func run() async throws {
        try await fleet.inspect(.status) { inspection, json in
            var table = ResultTable(type: "host_status", [
                ("HOST", "host"), ("REACHABLE", "reachable"), ("CURRENT", "current"), ("REVISION", "revision"),
                ("DEPLOYED", "deployed_at"), ("BY", "deployed_by"), ("LOCK", "lock"), ("PROBLEM", "problem"),
                ("IRREVERSIBLE", "last_irreversible"), ("MAINTENANCE", "maintenance"),
            ])
            for host in inspection.hosts {
                let facts = inspection.facts[host]
                let marker = facts?.currentMarker
                var lock: String?
                if let state = facts?.lock {
                    lock = "held by \(state.lease?.origin.who ?? "unknown") since \(state.lease?.since ?? "?")"
                        + (state.isStale(defaultTTL: inspection.lockTTLSeconds) ? " (stale)" : "")
                }
                table.rows.append([
                    .string(host), ResultTable.Cell(.bool(facts != nil)), .string(facts?.current?.rawValue),
                    .string(marker?.revision, text: marker.map { String($0.revision.prefix(12)) }),
                    .string(marker?.createdAt), .string(marker?.createdBy), .string(lock),
                    .string(facts == nil ? inspection.unreachable[host] ?? "unknown" : nil),
                    .irreversible(facts?.irreversible.first),
                    ResultTable.Cell(facts?.maintenance.map { state in
                        .object([.init("since", .string(state.since)), .init("by", .string(state.by))])
                    } ?? .null, text: facts?.maintenance.map { "on since \($0.since) by \($0.by)" } ?? (facts == nil ? "-" : "off")),
                ])
            }
            print(table.rendered(json: json))
            if !json, let line = Self.fleetLine(inspection) { print(line) }
        }
    }

    /// "drift: …" naming which hosts run which release, or "every host runs R"; nil when neither can be said.
    static func fleetLine(_ inspection: FleetInspection) -> String? {
        if let drift = inspection.drift {
            return "drift: " + drift.sorted { ($0.key?.rawValue ?? "") < ($1.key?.rawValue ?? "") }
                .map { "\($0.value.joined(separator: ", ")) on \($0.key?.rawValue ?? "no release")" }
                .joined(separator: "; ")
        }
        if let release = inspection.facts.values.first?.current, inspection.unreachable.isEmpty {
            return "every host runs \(release)"
        }
        return nil
    }
}
