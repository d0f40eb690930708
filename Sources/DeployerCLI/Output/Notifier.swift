import DeployerExecution
import DeployerModel
import DeployerReporting
import Foundation
import Synchronization

/// Sends a push's or rollback's notifications (`notify:`) from the controller. It watches the
/// run's events for the moments its hooks are declared for (the run's start, and its summary),
/// starts each hook in the background so that no step of the run waits for it, and reports how
/// each went as a `notified` event (a failure is a warning, never the run's result). `settle()`
/// waits for the hooks still running, each for at most its timeout.
final class Notifier: Sendable {
    /// What a notification command or request is told, as JSON: the moment, the run, and at the end its summary.
    private struct Moment {
        var event: NotifyHook.Event
        var action: RunAction
        var runID: String
        var hosts: [String]
        var summary: RunSummary?
    }

    private struct State {
        var action: RunAction?
        var runID = ""
        var hosts: [String] = []
        /// A batch was switched back: the push ends `rolled_back` rather than `failed`.
        var reverted = false
        var sending: [Task<Void, Never>] = []
    }

    private let hooks: [NotifyHook]
    private let app: String
    private let environment: String
    /// `app`, `env` and the environment's vars: what a hook's template may use besides secrets.
    private let values: [String: String]
    private let secrets: [String: String]
    private let mask: SecretMask
    private let reporter: any Reporter
    private let state = Mutex(State())

    init(hooks: [NotifyHook], environment: ResolvedEnvironment, secrets: [String: String], reporter: any Reporter) {
        self.hooks = hooks
        app = environment.app
        self.environment = environment.name
        values = environment.vars.merging(["app": environment.app, "env": environment.name]) { _, builtIn in builtIn }
        self.secrets = secrets
        mask = SecretMask(secrets: secrets)
        self.reporter = reporter
    }

    /// Notes `event`, and sends the hooks of the moment it marks, if any.
    func observe(_ event: DeployEvent) {
        let moment: Moment? = state.withLock { state in
            switch event {
            case let .runStarted(action, _, runID, hosts) where action == .push || action == .rollback:
                (state.action, state.runID, state.hosts) = (action, runID, hosts)
                return Moment(event: .started, action: action, runID: runID, hosts: hosts)
            case .batchStarted(_, _, _, _, .revert):
                state.reverted = true
                return nil
            case let .summary(summary):
                guard let action = state.action, summary.action == action else { return nil }
                state.action = nil
                return Moment(event: Self.event(ending: summary, reverted: state.reverted), action: action,
                              runID: state.runID, hosts: state.hosts, summary: summary)
            default:
                return nil
            }
        }
        guard let moment else { return }
        for hook in hooks where hook.events.contains(moment.event) {
            let task = Task { await send(hook, at: moment) }
            state.withLock { $0.sending.append(task) }
        }
    }

    /// Waits for every notification started so far.
    func settle() async {
        while let task = state.withLock({ $0.sending.popLast() }) { await task.value }
    }

    /// The moment a run's summary is: a reverted push or a successful rollback is `rolled_back`.
    static func event(ending summary: RunSummary, reverted: Bool) -> NotifyHook.Event {
        switch summary.result {
        case .succeeded, .alreadyCurrent: summary.action == .rollback ? .rolledBack : .succeeded
        case .lockHeld: .lockHeld
        case .failed where reverted: .rolledBack
        case .failed, .unreachable, .interrupted, .usage, .planStale: .failed
        }
    }

    private func send(_ hook: NotifyHook, at moment: Moment) async {
        let kind: String
        let problem: String?
        switch hook.target {
        case let .command(template): (kind, problem) = ("command", await run(template, hook, moment))
        case let .url(template): (kind, problem) = ("url", await post(template, hook, moment))
        }
        let name = kind + (hook.location.map { " at \($0)" } ?? "")
        reporter.report(.notified(event: moment.event, hook: name, ok: problem == nil, message: problem ?? ""))
    }

    /// The moment as one line of JSON, secrets masked.
    private func payload(_ moment: Moment) -> String {
        typealias M = JSONValue.Member
        var members = [M("event", .string(moment.event.rawValue)), M("app", .string(app)),
                       M("environment", .string(environment)), M("action", .string(moment.action.rawValue)),
                       M("run_id", .string(moment.runID)), M("hosts", .array(moment.hosts.map(JSONValue.string)))]
        if let summary = moment.summary {
            members.append(M("summary", DeployEvent.summary(summary).jsonObject(time: Date())))
        }
        return mask.apply(JSONValue.object(members).serialized) + "\n"
    }

    /// Runs the command with the payload on its standard input and the secrets in its environment
    /// (templates refer to them as shell variables); nil when it exited 0 in time, else what went wrong.
    private func run(_ template: Template, _ hook: NotifyHook, _ moment: Moment) async -> String? {
        let command: String
        do {
            command = try template.render(values, environmentReferences: Set(secrets.keys))
        } catch {
            return "'\(error.name)' is not defined"
        }
        var environment = ProcessInfo.processInfo.environment.merging(secrets) { _, secret in secret }
        environment["DEPLOYER_NOTIFY_EVENT"] = moment.event.rawValue
        return await finish("/bin/sh", ["-c", command], stdin: payload(moment), environment: environment, hook: hook)
    }

    /// POSTs the payload with curl, the URL and body in curl's configuration on its standard input
    /// (so a secret in the URL never shows in `ps`); an HTTP status of 400 or more is a failure.
    private func post(_ template: Template, _ hook: NotifyHook, _ moment: Moment) async -> String? {
        let url: String
        do {
            url = try template.renderVerbatim(values.merging(secrets) { _, secret in secret })
        } catch {
            return "'\(error.name)' is not defined"
        }
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
        }
        let configuration = [
            "url = \(quoted(url))", "header = \"Content-Type: application/json\"",
            "data-binary = \(quoted(payload(moment)))",
            // curl gives up a second after the hook's deadline, so that the deadline decides a hang.
            "max-time = \(Int(hook.timeoutSeconds.rounded(.up)) + 1)",
            "silent", "show-error", "fail",
        ].joined(separator: "\n") + "\n"
        return await finish("/usr/bin/env", ["curl", "--config", "-"], stdin: configuration, environment: nil, hook: hook)
    }

    /// Runs a program for at most the hook's timeout (then it is sent SIGTERM and no longer waited
    /// for, even when a child of its own keeps its output open); nil when it exited 0, else why not, masked.
    private func finish(_ executable: String, _ arguments: [String], stdin: String, environment: [String: String]?,
                        hook: NotifyHook) async -> String? {
        let timeout = hook.timeoutSeconds
        let late = "no answer within \(timeout.formatted()) s"
        let output: ProcessRunner.Output
        do {
            output = try await DeadlineRace.run(seconds: timeout, onTimeout: { TransportError(.timeout, late) }) {
                () throws(TransportError) -> ProcessRunner.Output in
                do {
                    return try await ProcessRunner.run(executable, arguments, stdin: Array(stdin.utf8),
                                                       environment: environment, timeout: timeout)
                } catch {
                    throw TransportError(.local, "could not start \(arguments.first ?? executable)")
                }
            }
        } catch {
            return error.message
        }
        if output.timedOut { return late }
        if output.status == 0 && !output.signaled { return nil }
        let last = String(decoding: output.stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return mask.apply("exit status \(output.status)" + (last.isEmpty ? "" : ": " + last))
    }
}
