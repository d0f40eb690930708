import ArgumentParser
import DeployerModel
import DeployerReporting
import Foundation

/// How a fleet command shows and records its run: `--format`, colours,
/// verbosity and the audit log.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output: auto (terminal on a TTY, else plain), terminal, plain or json (JSON lines, see docs/json-events.md).",
                               valueName: "format"))
    var format: ReportFormat = .auto

    @Flag(help: "No colours in the terminal view (NO_COLOR does the same).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Show every event: each step as it starts, connections, probes and locks.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Show only problems and the final summary.")
    var quiet = false

    @Option(help: ArgumentHelp("Write the audit log (JSON lines) here instead of $XDG_STATE_HOME/deployer/logs/ "
                               + "(default ~/.local/state/deployer/logs/), one file per run.",
                               valueName: "path"))
    var logFile: String?

    func validate() throws {
        if verbose && quiet { throw ValidationError("-v and -q contradict each other; pass one") }
    }

    /// `--format`, with `auto` decided by whether standard output is a terminal.
    var resolvedFormat: ReportFormat {
        format.resolved(outputIsTerminal: isatty(STDOUT_FILENO) == 1, term: ProcessInfo.processInfo.environment["TERM"])
    }

    /// `-q`, `-v` or neither.
    var verbosity: Verbosity { quiet ? .quiet : verbose ? .verbose : .normal }
}
