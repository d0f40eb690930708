import DeployerModel

/// Host names padded to the longest one of the run, so that the `|` after
/// them lines up in the plain log and the terminal view alike.
struct HostColumn: Sendable {
    private var width = 0

    /// Widens the column for `event` when it starts a run.
    mutating func fit(_ event: DeployEvent) {
        if case let .runStarted(_, _, _, hosts) = event {
            width = hosts.map { $0.displaySafe.count }.max() ?? 0
        }
    }

    /// `host` display-safe, padded to the column.
    func padded(_ host: String) -> String {
        let safe = host.displaySafe
        return safe + String(repeating: " ", count: max(width - safe.count, 0))
    }

    /// The event's text, one display-safe line each, behind `host | ` when it is about a host.
    /// `verbose`: with the lines only `-v` shows (`DeployEvent.verboseText`).
    func lines(_ event: DeployEvent, verbose: Bool = false) -> [String] {
        let prefix = event.host.map { padded($0) + " | " } ?? ""
        return (event.text + (verbose ? event.verboseText : [])).flatMap(\.displayLines).map { prefix + $0 }
    }
}
