import DeployerModel
import Foundation
import Synchronization

/// One line per event, `HH:MM:SS host | message`, for CI logs and pipes
/// where a live view would be noise: no control characters (text from hosts
/// is escaped), host names padded so the bars line up, a failure's stderr
/// tail under its headline, and the summary table at the end.
public final class PlainReporter: Reporter, Sendable {
    private let verbosity: Verbosity
    private let clock: (@Sendable () -> Date)?
    private let write: @Sendable (String) -> Void
    private let utc: Bool
    /// What the lines printed so far have established; held while a line is written, so lines keep their order.
    private let shown = Mutex(Shown())

    private struct Shown {
        var progress = RunProgress()
        var column = HostColumn()
    }

    /// - Parameters:
    ///   - verbosity: which events are shown (problems and the summary always are).
    ///   - clock: the time printed at the start of each line; nil prints none (golden tests).
    ///   - utc: the printed time is UTC rather than the controller's local time.
    ///   - write: receives whole lines with their newlines, in order (standard output by default).
    public init(verbosity: Verbosity = .normal, clock: (@Sendable () -> Date)? = { Date() },
                utc: Bool = false,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.writeUnlessClosed($0) }) {
        self.verbosity = verbosity
        self.clock = clock
        self.write = write
        self.utc = utc
    }

    public func report(_ event: DeployEvent) {
        shown.withLock { shown in
            let now = clock?()
            shown.progress.apply(event, at: now?.timeIntervalSinceReferenceDate ?? 0)
            shown.column.fit(event)
            guard event.level.isShown(at: verbosity) else { return }
            let lines: [String]
            if case let .summary(summary) = event {
                lines = SummaryTable.lines(summary, progress: shown.progress)
            } else {
                lines = shown.column.lines(event, verbose: verbosity >= .verbose)
            }
            let stamp = now.map { timestamp($0) + " " } ?? ""
            write(lines.map { stamp + $0 + "\n" }.joined())
        }
    }

    private func timestamp(_ date: Date) -> String { Timestamp.clock(date, utc: utc) }
}
