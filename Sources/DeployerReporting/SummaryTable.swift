import DeployerModel

/// The end of every person-facing report: the result in one line, the
/// summary's message, then a table host → release → result, so nobody has
/// to guess what state the fleet is left in.
enum SummaryTable {
    /// The lines of the table, display-safe.
    static func lines(_ summary: RunSummary, progress: RunProgress) -> [String] {
        var rows = [["host", "release", "result"]]
        for state in summary.hosts {
            // A host not known at the end shows the release last seen there, or "unknown" when none was
            // (not probed: the run stopped before, e.g. because another host could not be reached).
            var release = state.current?.rawValue ?? (state.known ? "none" : "unknown")
            if !state.known, state.current != nil { release += " (last seen)" }
            var result = progress.hosts[state.host]?.result ?? "unchanged"
            if !state.lockReleased { result += "; lock still held" }
            rows.append([state.host, release, result])
        }
        let table = summary.hosts.isEmpty ? [] : TextColumns.format(rows.map { $0.map(\.displaySafe) })
        return DeployEvent.summary(summary).text.flatMap(\.displayLines) + table
    }
}
