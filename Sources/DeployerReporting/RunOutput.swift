import DeployerModel
import Foundation

/// Everything that shows and records one run: the reporter a command gives
/// the executor, and `finish()` to call once after the last event.
///
/// The reporter masks secrets first, then hands each event both to the
/// chosen display reporter and to the audit log, so neither can print a
/// secret. Output is written from background queues; `finish()` draws the
/// terminal's final frame, waits for everything to be written and notes
/// `log: PATH`.
public struct RunOutput: Sendable {
    /// The reporter to run with.
    public let reporter: any Reporter
    /// For events the text formats show otherwise (diagnostics, printed compiler-style on standard
    /// error, and the summary of a run stopped before it began): the audit log, and the display when it is JSON.
    public let recorder: any Reporter
    /// Where the audit log is written, nil when it could not be opened.
    public let logPath: String?
    private let terminal: TerminalReporter?
    private let sinks: [OutputSink]
    private let note: @Sendable (String) -> Void
    private let notesLogPath: Bool

    /// - Parameters:
    ///   - format: the display format, resolved first (see `ReportFormat.resolved`; `auto` is taken as `terminal`).
    ///   - verbosity: for the plain and terminal formats (JSON shows every event).
    ///   - colors: for the terminal format.
    ///   - secrets: secret values by name, masked in every output.
    ///   - auditLogPath: the audit log file; nil for none.
    ///   - output: where the display goes (standard output).
    ///   - note: one-line messages for the person (the log path, a log that cannot be opened), standard error.
    ///   - notesLogPath: false for commands whose output is a document or another program's (plan).
    ///   - rawCommandOutput: nil shows the run's events; set, the terminal and plain formats show the hosts'
    ///     command output instead (`deployer run`, see `CommandOutputReporter`), control characters kept when true.
    public init(format: ReportFormat, verbosity: Verbosity, colors: Bool, secrets: [String: String],
                auditLogPath: String?, output: FileHandle = .standardOutput, notesLogPath: Bool = true,
                rawCommandOutput: Bool? = nil,
                note: @escaping @Sendable (String) -> Void = { FileHandle.standardError.writeUnlessClosed($0 + "\n") }) {
        let display = OutputSink(output)
        var sinks = [display]
        var terminal: TerminalReporter?
        let shown: any Reporter
        switch (format, rawCommandOutput) {
        case (.json, _):
            shown = JSONReporter(write: display.write)
        case let (_, raw?):
            let errors = OutputSink(.standardError)
            sinks.append(errors)
            shown = CommandOutputReporter(streaming: format != .plain, raw: raw, verbosity: verbosity,
                                          output: display.write, errors: errors.write)
        case (.plain, nil):
            shown = PlainReporter(verbosity: verbosity, write: display.write)
        case (.terminal, nil), (.auto, nil):
            let reporter = TerminalReporter(verbosity: verbosity, colors: colors, write: display.write)
            terminal = reporter
            shown = reporter
        }
        var reporters = [shown]
        var recorded = format == .json ? [shown] : []
        var logPath: String?
        if let auditLogPath {
            do {
                let log = try AuditLog.open(path: auditLogPath)
                let logged = JSONReporter(write: log.sink.write)
                reporters.append(logged)
                recorded.append(logged)
                sinks.append(log.sink)
                logPath = log.path
            } catch {
                note("warning: \(error); this run has no audit log")
            }
        }
        reporter = MaskingReporter(secrets: secrets, wrapping: FanOutReporter(reporters))
        recorder = MaskingReporter(secrets: secrets, wrapping: FanOutReporter(recorded))
        self.logPath = logPath
        self.terminal = terminal
        self.sinks = sinks
        self.note = note
        self.notesLogPath = notesLogPath
    }

    /// Draws the final frame, waits until all output is written, then notes the log's path.
    public func finish() {
        terminal?.finish()
        for sink in sinks { sink.flush() }
        if let logPath, notesLogPath { note("log: \(logPath)") }
    }
}
