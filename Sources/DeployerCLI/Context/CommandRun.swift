import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerReporting
import Foundation
import Synchronization

/// One command's run as it is shown and recorded: its run id; its output (the display, and an
/// audit log named by the run id), opened once the recipe's secrets are known; and what an error
/// that stops it before its summary becomes — the diagnostics on standard error as compilers print
/// them and, for `--format json` and the audit log, `diagnostic` events and a `summary` carrying
/// the exit code. So every run writes an audit log and every JSON run ends with a `summary`.
final class CommandRun: Reporter, Sendable {
    let action: RunAction
    let environment: String
    let runID = Executor.newRunID()
    private let options: OutputOptions?
    /// With no `options`: whether the display is JSON on standard output (a usage error of a fleet verb asked for it).
    private let showsJSON: Bool
    /// Set for `deployer run`: the text formats show the hosts' output (raw when true), see `RunOutput`.
    private let rawCommandOutput: Bool?
    private let state = Mutex(State())

    private struct State {
        var output: RunOutput?
        var notifier: Notifier?
        var began = false, summarized = false, finished = false
    }

    /// `options` nil: the command has its own display (`plan`); the run writes its audit log only
    /// (and JSON on standard output when `showsJSON`).
    init(_ action: RunAction, environment: String, options: OutputOptions?, showsJSON: Bool = false,
         rawCommandOutput: Bool? = nil) {
        self.action = action; self.environment = environment; self.options = options; self.showsJSON = showsJSON
        self.rawCommandOutput = rawCommandOutput
    }

    /// A usage error found while parsing `arguments`, before any command ran: recorded as a run of the
    /// fleet verb they name, with JSON on standard output when they ask for `--format json`.
    static func recordUsageError(_ error: any Error, arguments: [String]) {
        let verb = arguments.first == "promote" ? RunAction.push.rawValue : arguments.first ?? ""
        guard let action = RunAction(rawValue: verb), action != .plan else { return }
        let json = zip(arguments, arguments.dropFirst()).contains { $0 == "--format" && $1 == "json" }
            || arguments.contains("--format=json")
        let run = CommandRun(action, environment: arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "",
                             options: nil, showsJSON: json)
        _ = run.conclude(error)
        run.finish()
    }

    /// Runs `body` as a run of `action`; an error it throws before the run's summary ends the run as the
    /// type's documentation says, and leaves with the documented exit code.
    static func perform(_ action: RunAction, environment: String, options: OutputOptions?, rawCommandOutput: Bool? = nil,
                        _ body: (CommandRun) async throws -> Void) async throws {
        let run = CommandRun(action, environment: environment, options: options, rawCommandOutput: rawCommandOutput)
        do {
            try await body(run)
            await run.settle()
            run.finish()
        } catch {
            let exit = run.conclude(error)
            await run.settle()
            run.finish()
            throw exit
        }
    }

    /// Opens the output, masking `secrets` in everything it shows and records (once; later calls keep the first).
    func open(secrets: [String: String]) { _ = opened(secrets: secrets) }

    /// Sends `environment`'s notifications (`notify:`) as this run reaches their moments.
    func notify(_ environment: ResolvedEnvironment, secrets: [String: String]) {
        guard !environment.notify.isEmpty else { return }
        let notifier = Notifier(hooks: environment.notify, environment: environment, secrets: secrets, reporter: self)
        state.withLock { $0.notifier = notifier }
    }

    func report(_ event: DeployEvent) {
        let notifier = state.withLock { state in
            if case .runStarted = event { state.began = true }
            if case .summary = event { state.summarized = true }
            return state.notifier
        }
        opened(secrets: [:]).reporter.report(event)
        notifier?.observe(event)
    }

    /// Waits for the notifications still being sent (each for at most its timeout).
    private func settle() async {
        await state.withLock { $0.notifier }?.settle()
    }

    /// Draws the last frame, flushes the output and notes the audit log's path; once.
    func finish() {
        let output: RunOutput? = state.withLock { state in
            defer { state.finished = true }
            return state.finished ? nil : state.output
        }
        output?.finish()
    }

    private func opened(secrets: [String: String]) -> RunOutput {
        state.withLock { state in
            if let output = state.output { return output }
            let process = ProcessInfo.processInfo.environment
            let logPath = options?.logFile ?? AuditLog.defaultDirectory(environment: process, passwdHome: NSHomeDirectory())
                + "/" + AuditLog.fileName(at: Date(), environment: environment, action: action.rawValue, runID: runID)
            let made = if let options {
                RunOutput(format: options.resolvedFormat, verbosity: options.verbosity,
                          colors: !options.noColor && (process["NO_COLOR"] ?? "").isEmpty, secrets: secrets,
                          auditLogPath: logPath, rawCommandOutput: rawCommandOutput)
            } else {
                RunOutput(format: .json, verbosity: .normal, colors: false, secrets: secrets, auditLogPath: logPath,
                          output: showsJSON ? .standardOutput : .nullDevice, notesLogPath: showsJSON)
            }
            state.output = made
            return made
        }
    }

    /// Ends a run that `error` stopped: prints it (diagnostics as compilers do), then records
    /// `run_started` if the run had not begun, each diagnostic, and a summary; returns the error to exit with.
    private func conclude(_ error: any Error) -> any Error {
        if state.withLock({ $0.summarized }) { return error }
        let result: RunSummary.Result
        var diagnostics: [Diagnostic] = []
        var exit: any Error = error
        switch error {
        case let error as DiagnosticsError:
            DiagnosticPrinter.print(error.diagnostics, sources: error.sources)
            (result, diagnostics, exit) = (.usage, error.diagnostics, ExitCode.usageOrRecipe)
        case let refusal as RunRefusal:
            FileHandle.standardError.writeUnlessClosed("error: \(refusal.message.displayText)\n")
            (result, diagnostics, exit) = (refusal.result, [.error(refusal.message)], refusal.result.exitCode)
        case let code as ExitCode:
            result = RunSummary.Result.allCases.first { $0.exitCode == code } ?? .failed
        default:
            // Printed by ArgumentParser as it exits: a usage error (2), anything else (1).
            let usage = DeployerCommand.exitCode(for: error) == .validationFailure
            (result, diagnostics) = (usage ? .usage : .failed, [.error(DeployerCommand.message(for: error))])
        }
        let output = opened(secrets: [:])
        if !state.withLock({ $0.began }) {
            output.recorder.report(.runStarted(action: action, environment: environment, runID: runID, hosts: []))
        }
        for diagnostic in diagnostics { output.recorder.report(.diagnostic(diagnostic)) }
        let message = diagnostics.first.map { $0.headline + (diagnostics.count > 1 ? " (and \(diagnostics.count - 1) more)" : "") }
            ?? "stopped with exit code \(result.exitStatus)"
        let summary = DeployEvent.summary(RunSummary(action: action, result: result, release: nil, message: message,
                                                     hosts: [], seconds: 0))
        output.recorder.report(summary)
        state.withLock { $0.notifier }?.observe(summary)
        return exit
    }
}
