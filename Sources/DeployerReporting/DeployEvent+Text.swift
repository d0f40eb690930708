import DeployerModel
import Foundation

/// The wording of every event for people, shared by the plain and terminal
/// reporters so that a CI log and a terminal say the same thing.
extension DeployEvent {
    /// How much this event matters to a person (see `EventLevel`).
    var level: EventLevel {
        switch self {
        case let .runStarted(action, _, _, _) where action.printsResult:
            return .detail
        case let .summary(summary) where summary.action.printsResult && summary.result == .succeeded:
            // status and releases print their table instead.
            return .detail
        case .hostUnreachable, .hostWarning, .lockRefused, .lockBroken, .interruptRequested, .diagnostic, .summary:
            return .problem
        case let .stepFinished(_, step, _, outcome):
            if case .failed = outcome { return .problem }
            // A lock held by another run: the `lock_refused` that comes with it says by whom.
            if step == .lock, case .skipped = outcome { return .detail }
            // A read-only probe that worked says nothing new (status and releases print their table).
            return step == .probe && outcome == .succeeded ? .detail : .progress
        case let .batchFinished(_, _, _, failed, _):
            return failed.isEmpty ? .progress : .problem
        case let .hookFinished(_, _, _, exitStatus, _):
            return exitStatus == 0 ? .progress : .problem
        case let .notified(_, _, ok, _):
            return ok ? .detail : .problem
        case let .buildStepFinished(_, _, exitStatus):
            return exitStatus == 0 ? .progress : .problem
        case .runStarted, .artifactReady, .buildStepStarted, .buildOutput, .buildReused, .releaseChosen, .taskFinished,
             .taskSkipped, .taskChecked, .envReady, .switched, .alreadyCurrent, .batchStarted, .healthChecked, .commandOutput:
            return .progress
        case .hostConnected, .probed, .stepStarted, .taskStarted, .lockAcquired, .lockReleased, .pruned:
            return .detail
        }
    }

    /// What happened, without the host (reporters prefix it): the first line
    /// is the headline, further lines are details such as a stderr tail.
    /// Lines are raw text: reporters split and escape them with `displayLines`.
    var text: [String] {
        switch self {
        case let .runStarted(action, environment, runID, hosts):
            let scope = action == .build ? "on the controller" : "\(hosts.count) host\(hosts.count == 1 ? "" : "s")"
            return ["\(action.rawValue) \(environment): \(scope) (run \(runID))"]
        case let .artifactReady(revision, digest, bytes):
            return ["artifact of \(revision.prefix(12)): \(HumanUnits.bytes(bytes)), sha256 \(digest.prefix(12))"]
        case let .buildStepStarted(step, command):
            return ["build step \(step) started", "  command: \(command)"]
        case let .buildOutput(step, line):
            return ["build \(step) | \(line)"]
        case let .buildStepFinished(step, seconds, exitStatus):
            let result = exitStatus == 0 ? "ok" : exitStatus == 124 ? "timed out (exit status 124)" : "exited with status \(exitStatus)"
            return ["build step \(step) \(result) (\(HumanUnits.duration(seconds)))"]
        case let .buildReused(digest, steps):
            return ["build of \(steps.joined(separator: ", ")) found in the cache: sha256 \(digest.prefix(12)), nothing built"]
        case let .releaseChosen(release, _):
            return ["release \(release)"]
        case let .hostConnected(_, seconds):
            return ["connected in \(HumanUnits.duration(seconds))"]
        case let .hostUnreachable(_, message):
            return ["unreachable: \(message)"]
        case let .hostWarning(_, message):
            return ["warning: \(message)"]
        case let .pruned(_, kind, name):
            return ["pruned \(kind.rawValue) \(kind == .artifact ? String(name.prefix(12)) : name)"]
        case let .probed(_, current):
            return [current.map { "current release \($0)" } ?? "no current release"]
        case let .stepStarted(_, step):
            return ["\(step.rawValue) started"]
        case let .stepFinished(_, step, seconds, outcome):
            switch outcome {
            case .succeeded: return ["\(step.rawValue) ok (\(HumanUnits.duration(seconds)))"]
            case let .skipped(reason): return ["\(step.rawValue) skipped: \(reason)"]
            case let .failed(task, exitStatus, message, stderrTail, command):
                return [DeployEvent.failureHeadline(step: step, task: task, exitStatus: exitStatus, message: message)]
                    + (command.map { ["  command: \($0)"] } ?? []) + stderrTail.map { "  stderr: \($0)" }
            }
        case let .taskStarted(_, task, phase, command):
            return ["\(phase.rawValue) task \(task) started"] + (command.map { ["  command: \($0)"] } ?? [])
        case let .taskFinished(_, task, phase, seconds, exitStatus):
            let result = exitStatus == 0 ? "ok" : "exited with status \(exitStatus)"
            return ["\(phase.rawValue) task \(task) \(result) (\(HumanUnits.duration(seconds)))"]
        case let .taskSkipped(_, task, phase, reason):
            return ["\(phase.rawValue) task \(task) skipped: \(reason)"]
        case let .taskChecked(_, task, phase, pending, output):
            guard pending else { return ["\(phase.rawValue) task \(task): check found nothing pending"] }
            return ["\(phase.rawValue) task \(task): check found work pending"] + output.map { "  pending: \($0)" }
        case let .envReady(_, name, directory, reused):
            return ["env \(name) \(reused ? "reused" : "built"): \(directory)"]
        case .lockAcquired:
            return ["lock acquired"]
        case let .lockRefused(_, holder, heartbeatAge, stale):
            var line = "lock held by " + DeployEvent.describe(holder)
            if let heartbeatAge { line += ", heartbeat \(heartbeatAge) s ago" }
            if stale { line += " (stale: --break-stale-lock takes it over)" }
            return [line]
        case let .lockBroken(_, previousHolder):
            return ["took over the stale lock of " + DeployEvent.describe(previousHolder)]
        case .lockReleased:
            return ["lock released"]
        case let .switched(_, from, to, kind):
            let verb = switch kind {
            case .push: "switched to"
            case .rollback: "rolled back to"
            case .revert: "reverted to"
            }
            return ["\(verb) \(to) (from \(from?.rawValue ?? "no release"))"]
        case let .alreadyCurrent(release):
            return ["\(release) is already current everywhere: nothing to do"]
        case let .batchStarted(index, count, hosts, canary, kind):
            return ["\(DeployEvent.batchName(index, count, kind))\(canary ? " (canary)" : "") started: "
                + hosts.joined(separator: ", ")]
        case let .batchFinished(index, count, hosts, failed, kind):
            let name = DeployEvent.batchName(index, count, kind)
            return [failed.isEmpty ? "\(name) done: " + hosts.joined(separator: ", ")
                : "\(name) FAILED on \(failed.joined(separator: ", ")) (of \(hosts.joined(separator: ", ")))"]
        case let .hookFinished(_, hook, seconds, exitStatus, target):
            return [exitStatus == 0 ? "\(hook.name(on: target)) ok (\(HumanUnits.duration(seconds)))"
                : "\(hook.name(on: target)) exited with status \(exitStatus)"]
        case let .healthChecked(_, attempt, attempts, ok, output):
            guard !ok else { return ["health ok (attempt \(attempt)/\(attempts))"] }
            let (label, rest) = DeployEvent.healthOutput(output)
            return ["health attempt \(attempt)/\(attempts) failed" + (output.first.map { ": \($0)" } ?? "")
                + (DeployEvent.excerpt(rest).map { "; \(label): \($0)" } ?? "")]
        case let .commandOutput(_, stream, line):
            return [stream == .stderr ? "stderr: " + line : line]
        case let .interruptRequested(signal):
            return ["\(signal): finishing the step in flight, then stopping (press Ctrl-C again to exit at once)"]
        case let .diagnostic(diagnostic):
            return [diagnostic.rendered(source: nil)]
        case let .notified(event, hook, ok, message):
            return [ok ? "notified \(event.rawValue) (\(hook))" : "warning: notification \(event.rawValue) (\(hook)) failed: \(message)"]
        case let .summary(summary):
            return ["\(summary.action.rawValue) \(summary.result.rawValue) in \(HumanUnits.duration(summary.seconds))"]
                + (summary.message.isEmpty ? [] : [summary.message])
                + summary.skippedTasks.map { skipped in
                    "skipped: \(skipped.phase.rawValue) task \(skipped.task) on \(skipped.hosts.joined(separator: ", ")) (\(skipped.reason))"
                }
        }
    }

    /// Lines shown only with `-v`, after `text`: a failed health check's whole response body or output.
    var verboseText: [String] {
        guard case let .healthChecked(_, _, _, false, output) = self else { return [] }
        let (label, rest) = DeployEvent.healthOutput(output)
        return rest.map { "  \(label): \($0)" }
    }

    /// A failed health check's output is its outcome line, then the HTTP response body (`body`)
    /// or the command's output (`output`).
    static func healthOutput(_ output: [String]) -> (label: String, rest: [String]) {
        let http = output.first.map { $0.hasPrefix("HTTP status ") || $0.hasPrefix("no answer: ") } ?? false
        return (http ? "body" : "output", Array(output.dropFirst()))
    }

    /// The start of `lines` as one short line: HTML tags dropped, white space collapsed, at most
    /// `limit` characters; nil when nothing is left.
    static func excerpt(_ lines: [String], limit: Int = 100) -> String? {
        let text = lines.joined(separator: " ")
            .replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !text.isEmpty else { return nil }
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `prepare FAILED: task migrate exited with status 3: message`, the
    /// headline of a failed step wherever it is shown.
    static func failureHeadline(step: DeployStep, task: String?, exitStatus: Int?, message: String) -> String {
        var line = "\(step.rawValue) FAILED"
        switch (task, exitStatus) {
        case let (task?, status?): line += ": task \(task) exited with status \(status)"
        case let (task?, nil): line += ": task \(task)"
        case let (nil, status?): line += " with exit status \(status)"
        case (nil, nil): break
        }
        return message.isEmpty ? line : line + ": " + message
    }

    /// `batch 2/3`, `rollback batch 1/2`, `switching back batch 2/3`.
    static func batchName(_ index: Int, _ count: Int, _ kind: SwitchKind) -> String {
        switch kind {
        case .push: "batch \(index)/\(count)"
        case .rollback: "rollback batch \(index)/\(count)"
        case .revert: "switching back batch \(index)/\(count)"
        }
    }

    private static func describe(_ lease: LockLease?) -> String {
        guard let lease else { return "an unknown run" }
        return "\(lease.origin.who) (run \(lease.origin.runID), since \(lease.since))"
    }
}
