/// Which reporter shows a run on standard output (`--format`).
public enum ReportFormat: String, CaseIterable, Sendable {
    /// `terminal` when standard output is a terminal and `TERM` is not `dumb`, else `plain`.
    case auto
    /// The live view (`TerminalReporter`).
    case terminal
    /// One line per event (`PlainReporter`).
    case plain
    /// JSON lines (`JSONReporter`).
    case json

    /// This format with `auto` decided from where standard output goes.
    public func resolved(outputIsTerminal: Bool, term: String?) -> ReportFormat {
        guard self == .auto else { return self }
        return outputIsTerminal && term != "dumb" ? .terminal : .plain
    }
}
