import DeployerModel

/// The terminal reporter's screen as a value, with no clock, thread or
/// terminal of its own: events go in, frames of text come out.
///
/// The screen has two parts. Above, lines written once that scroll away:
/// problems as they happen (a failure with its stderr tail), each host
/// collapsed to one line when it finishes, every event with `-v`, and the
/// summary table at the end. Below, a live area redrawn in place: a header
/// with the run and its elapsed time, then a line per host still at work
/// with a spinner, its step and task, and how long the step has taken.
struct TerminalView: Sendable {
    private static let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    let verbosity: Verbosity
    let colors: Bool
    private(set) var progress = RunProgress()
    /// Lines to write above the live area at the next frame.
    private var pending: [StyledLine] = []
    /// The live area as last written, so the next frame can move back over it.
    private var liveOnScreen: [String] = []
    private var column = HostColumn()

    init(verbosity: Verbosity, colors: Bool) {
        self.verbosity = verbosity
        self.colors = colors
    }

    /// Folds in `event`, which happened at `now`, and queues the lines it writes.
    mutating func apply(_ event: DeployEvent, at now: Double) {
        let finishedBefore = Set(progress.finishedHosts)
        progress.apply(event, at: now)
        column.fit(event)
        if case let .summary(summary) = event {
            let lines = SummaryTable.lines(summary, progress: progress)
            let style: TextStyle = [.succeeded, .alreadyCurrent].contains(summary.result) ? .green : .red
            pending += lines.enumerated().map { StyledLine($1, $0 == 0 ? style : .plain) }
            return
        }
        if verbosity == .verbose || event.level == .problem || (event.host == nil && event.level.isShown(at: verbosity)) {
            pending += eventLines(event)
        }
        if verbosity >= .normal {
            pending += progress.finishedHosts.filter { !finishedBefore.contains($0) }.map(collapsedLine)
        }
    }

    /// The text that brings the screen up to date at `now`: moves back over
    /// the live area, writes the queued lines, then the live area again.
    /// Empty when nothing on screen would change.
    mutating func frame(now: Double, columns: Int, rows: Int) -> String {
        let live = liveLines(now: now, rows: rows).map { $0.rendered(width: max(columns - 1, 10), colors: colors) }
        guard !pending.isEmpty || live != liveOnScreen else { return "" }
        var out = liveOnScreen.isEmpty ? "" : "\r\u{1B}[\(liveOnScreen.count)A\u{1B}[J"
        for line in pending { out += line.rendered(width: nil, colors: colors) + "\n" }
        for line in live { out += line + "\n" }
        pending = []
        liveOnScreen = live
        return out
    }

    /// The live area: nothing before the run starts or after its summary.
    private func liveLines(now: Double, rows: Int) -> [StyledLine] {
        guard let action = progress.action, progress.summary == nil else { return [] }
        let spin = String(TerminalView.spinner[Int((now * 10).rounded(.down)) % TerminalView.spinner.count])
        var header = StyledLine(spin + " ", .cyan)
        header.append("\(action.rawValue) \(progress.environment?.displaySafe ?? "")", .bold)
        if let release = progress.release { header.append(" · \(release.rawValue.displaySafe)") }
        header.append(" · \(progress.finishedHosts.count)/\(progress.hostNames.count) hosts done")
        if let batch = progress.batch { header.append(" · " + batch.headline.displaySafe, .yellow) }
        header.append(" · " + HumanUnits.duration(now - (progress.startedAt ?? now)), .dim)
        if progress.interrupted { header.append(" · stopping", .yellow) }

        let active = progress.activeHosts
        let room = max(rows - 2, 1)
        let shown = active.count <= room ? active : Array(active.prefix(room - 1))
        var lines = [header] + shown.map { hostLine($0, spin: spin, now: now) }
        if shown.count < active.count {
            lines.append(StyledLine("  … and \(active.count - shown.count) more hosts at work", .dim))
        }
        return lines
    }

    private func hostLine(_ name: String, spin: String, now: Double) -> StyledLine {
        let host = progress.hosts[name] ?? HostProgress()
        var line = StyledLine("  ")
        guard let step = host.step else {
            line.append("· " + column.padded(name), .dim)
            line.append(host.lastStep.map { "  \($0.rawValue) done, waiting" } ?? "  waiting", .dim)
            return line
        }
        line.append(spin + " ", .cyan)
        line.append(column.padded(name))
        line.append("  " + step.name.rawValue)
        if let task = host.task { line.append(" › " + task.displaySafe) }
        line.append("  " + HumanUnits.duration(now - step.since), .dim)
        return line
    }

    /// A finished host on one line: a mark (✓ moved, · unchanged, ✗ failed),
    /// the host, its result, its release and when it finished.
    private func collapsedLine(_ name: String) -> StyledLine {
        let host = progress.hosts[name] ?? HostProgress()
        let mark: (String, TextStyle) = switch host.state {
        case .failed, .unreachable, .lockHeld: ("✗", .red)
        case .done, .waiting, .running: host.lastSwitch == nil ? ("·", .plain) : ("✓", .green)
        }
        var line = StyledLine(mark.0 + " ", mark.1)
        line.append(column.padded(name))
        line.append("  " + host.result.displaySafe, mark.1 == .red ? .red : .plain)
        if mark.1 != .red, let current = host.current { line.append(" · \(current.rawValue.displaySafe)") }
        if let end = host.finishedAt, let start = progress.startedAt {
            line.append(" · " + HumanUnits.duration(end - start), .dim)
        }
        return line
    }

    /// An event as the plain reporter words it, host-prefixed, coloured by level.
    private func eventLines(_ event: DeployEvent) -> [StyledLine] {
        let style: TextStyle = switch event.level {
        case .problem: .red
        case .progress: .plain
        case .detail: .dim
        }
        return column.lines(event, verbose: verbosity >= .verbose).map { StyledLine($0, style) }
    }
}
