import DeployerModel
import Synchronization

/// What `deployer run` shows in the terminal and plain formats: the hosts' own output, never
/// interleaved within a line, and the run's summary line.
///
/// Streaming (a terminal), every line is printed as it arrives behind its host (`web1 | …`), a
/// host's stderr on our standard error. Grouped (plain, and `-q`), each host's output is held and
/// printed as one block under `== web1 (ok)` when the host finishes, so logs read well; `-q` prints
/// only the blocks of hosts that failed. Control characters a host prints are made visible (`^[`
/// for ESC, see `displaySafe`) unless `raw`, so a host cannot retitle, clear or move about the
/// user's terminal. `-v` adds the run's other events (connections, steps) on standard error.
public final class CommandOutputReporter: Reporter, Sendable {
    private struct State {
        var column = HostColumn()
        var held: [String: [String]] = [:]
        var unreachable: Set<String> = []
    }

    private let state = Mutex(State())
    private let streaming: Bool
    private let raw: Bool
    private let verbosity: Verbosity
    private let output: @Sendable (String) -> Void
    private let errors: @Sendable (String) -> Void

    /// - Parameters:
    ///   - streaming: print lines as they arrive, prefixed (a terminal), rather than a block per host.
    ///   - raw: pass the hosts' output on as it came, control characters included.
    ///   - verbosity: `-q` shows only failed hosts' output (grouped), `-v` every event too.
    ///   - output: standard output; `errors`: standard error. Each receives whole lines, in order.
    public init(streaming: Bool, raw: Bool, verbosity: Verbosity, output: @escaping @Sendable (String) -> Void,
                errors: @escaping @Sendable (String) -> Void) {
        self.streaming = streaming && verbosity != .quiet
        self.raw = raw
        self.verbosity = verbosity
        self.output = output
        self.errors = errors
    }

    public func report(_ event: DeployEvent) {
        state.withLock { state in
            state.column.fit(event)
            switch event {
            case let .commandOutput(host, stream, line):
                if streaming {
                    let text = state.column.padded(host) + " | " + shown(line) + "\n"
                    stream == .stderr ? errors(text) : output(text)
                } else {
                    state.held[host, default: []].append(shown(line))
                }
            case let .hostUnreachable(host, message):
                state.unreachable.insert(host)
                errors(state.column.padded(host) + " | error: " + message.displayText + "\n")
            case let .stepFinished(host, .command, _, outcome):
                let held = state.held.removeValue(forKey: host) ?? []
                let status = status(of: outcome, unreachable: state.unreachable.contains(host))
                if case let .failed(_, nil, message, _, _) = outcome, status == "error" {
                    errors(state.column.padded(host) + " | error: " + message.displayText + "\n")
                }
                guard !streaming, verbosity != .quiet || outcome != .succeeded else { return }
                output("== \(host.displaySafe) (\(status))\n" + held.map { $0 + "\n" }.joined())
            case let .summary(summary) where summary.result != .usage:
                errors(summary.message.displayText + "\n")
            default:
                if verbosity == .verbose, event.host != nil {
                    errors(state.column.lines(event).map { $0 + "\n" }.joined())
                }
            }
        }
    }

    /// `ok`, `exit 3`, `signal TERM`, `unreachable`, or `error` (a timeout, a broken connection: said on its own line).
    private func status(of outcome: StepOutcome, unreachable: Bool) -> String {
        switch outcome {
        case .succeeded, .skipped: return "ok"
        case let .failed(_, exitStatus?, _, _, _): return "exit \(exitStatus)"
        case let .failed(_, nil, message, _, _):
            if unreachable { return "unreachable" }
            return message.hasPrefix("signal ") ? message.displaySafe : "error"
        }
    }

    /// A line as printed: as received when `raw` or plain text, else a final carriage return dropped and
    /// other control characters made visible (tabs kept).
    private func shown(_ line: String) -> String {
        if raw { return line }
        var text = line
        if text.hasSuffix("\r") { text.removeLast() }
        return text.displaySafe(keepingTabs: true)
    }
}
