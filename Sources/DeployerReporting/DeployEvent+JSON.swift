import DeployerModel
import Foundation

/// Events as JSON lines, schema 1 (docs/json-events.md): one flat object per
/// event, snake_case keys, `schema`, `type`, `time` and `host` first.
extension DeployEvent {
    /// The version of the JSON lines format; bumped only for incompatible changes.
    public static let jsonSchemaVersion = 1

    /// The `type` of this event in JSON lines, e.g. `task_finished`.
    public var jsonType: String {
        switch self {
        case .runStarted: return "run_started"
        case .artifactReady: return "artifact_ready"
        case .buildStepStarted: return "build_step_started"
        case .buildOutput: return "build_output"
        case .buildStepFinished: return "build_step_finished"
        case .buildReused: return "build_reused"
        case .releaseChosen: return "release_chosen"
        case .hostConnected: return "host_connected"
        case .hostUnreachable: return "host_unreachable"
        case .hostWarning: return "host_warning"
        case .pruned: return "pruned"
        case .probed: return "probed"
        case .stepStarted: return "step_started"
        case .stepFinished: return "step_finished"
        case .taskStarted: return "task_started"
        case .taskFinished: return "task_finished"
        case .taskSkipped: return "task_skipped"
        case .taskChecked: return "task_checked"
        case .envReady: return "env_ready"
        case .lockAcquired: return "lock_acquired"
        case .lockRefused: return "lock_refused"
        case .lockBroken: return "lock_broken"
        case .lockReleased: return "lock_released"
        case .switched: return "switched"
        case .alreadyCurrent: return "already_current"
        case .batchStarted: return "batch_started"
        case .batchFinished: return "batch_finished"
        case .hookFinished: return "hook_finished"
        case .healthChecked: return "health_checked"
        case .commandOutput: return "command_output"
        case .interruptRequested: return "interrupt_requested"
        case .diagnostic: return "diagnostic"
        case .notified: return "notified"
        case .summary: return "summary"
        }
    }

    /// The whole JSON object: `schema`, `type`, `time` (ISO 8601 UTC with
    /// milliseconds), `host` when the event is about one, then its own fields.
    public func jsonObject(time: Date) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("schema", .int(DeployEvent.jsonSchemaVersion)),
            .init("type", .string(jsonType)),
            .init("time", .string(Timestamp.iso8601(time, fractionalSeconds: true))),
        ]
        if let host { members.append(.init("host", .string(host))) }
        return .object(members + jsonFields)
    }

    /// The event's own fields, after the common ones, in a fixed order.
    private var jsonFields: [JSONValue.Member] {
        typealias M = JSONValue.Member
        switch self {
        case let .runStarted(action, environment, runID, hosts):
            return [M("action", .string(action.rawValue)), M("environment", .string(environment)),
                    M("run_id", .string(runID)), M("hosts", .array(hosts.map(JSONValue.string)))]
        case let .artifactReady(revision, digest, bytes):
            return [M("revision", .string(revision)), M("digest", .string(digest)), M("bytes", .int(bytes))]
        case let .buildStepStarted(step, command):
            return [M("step", .string(step)), M("command", .string(command))]
        case let .buildOutput(step, line):
            return [M("step", .string(step)), M("line", .string(line))]
        case let .buildStepFinished(step, seconds, exitStatus):
            return [M("step", .string(step)), M("seconds", .seconds(seconds)), M("exit_status", .int(exitStatus))]
        case let .buildReused(digest, steps):
            return [M("digest", .string(digest)), M("steps", .array(steps.map(JSONValue.string)))]
        case let .releaseChosen(release, revision):
            return [M("release", .string(release.rawValue)), M("revision", .string(revision))]
        case let .hostConnected(_, seconds):
            return [M("seconds", .seconds(seconds))]
        case let .hostUnreachable(_, message), let .hostWarning(_, message):
            return [M("message", .string(message))]
        case let .pruned(_, kind, name):
            return [M("kind", .string(kind.rawValue)), M("name", .string(name))]
        case let .probed(_, current):
            return [M("current", .optional(current?.rawValue))]
        case let .stepStarted(_, step):
            return [M("step", .string(step.rawValue))]
        case let .stepFinished(_, step, seconds, outcome):
            let common = [M("step", .string(step.rawValue)), M("seconds", .seconds(seconds))]
            switch outcome {
            case .succeeded:
                return common + [M("outcome", .string("succeeded"))]
            case let .skipped(reason):
                return common + [M("outcome", .string("skipped")), M("reason", .string(reason))]
            case let .failed(task, exitStatus, message, stderrTail, command):
                return common + [M("outcome", .string("failed")), M("task", .optional(task)),
                                 M("exit_status", .optional(exitStatus)), M("message", .string(message)),
                                 M("stderr_tail", .array(stderrTail.map(JSONValue.string))), M("command", .optional(command))]
            }
        case let .taskStarted(_, task, phase, command):
            return [M("task", .string(task)), M("phase", .string(phase.rawValue)), M("command", .optional(command))]
        case let .taskFinished(_, task, phase, seconds, exitStatus):
            return [M("task", .string(task)), M("phase", .string(phase.rawValue)), M("seconds", .seconds(seconds)),
                    M("exit_status", .int(exitStatus))]
        case let .taskSkipped(_, task, phase, reason):
            return [M("task", .string(task)), M("phase", .string(phase.rawValue)), M("reason", .string(reason))]
        case let .taskChecked(_, task, phase, pending, output):
            return [M("task", .string(task)), M("phase", .string(phase.rawValue)), M("pending", .bool(pending)),
                    M("output", .array(output.map(JSONValue.string)))]
        case let .envReady(_, name, directory, reused):
            return [M("name", .string(name)), M("directory", .string(directory)), M("reused", .bool(reused))]
        case .lockAcquired, .lockReleased:
            return []
        case let .lockRefused(_, holder, heartbeatAge, stale):
            return [M("holder", .optional(holder?.origin.who)), M("holder_run_id", .optional(holder?.origin.runID)),
                    M("holder_command", .optional(holder?.origin.command)), M("holder_since", .optional(holder?.since)),
                    M("heartbeat_age_seconds", .optional(heartbeatAge)), M("stale", .bool(stale))]
        case let .lockBroken(_, previous):
            return [M("previous_holder", .optional(previous?.origin.who)),
                    M("previous_run_id", .optional(previous?.origin.runID))]
        case let .switched(_, from, to, kind):
            return [M("from", .optional(from?.rawValue)), M("to", .string(to.rawValue)), M("kind", .string(kind.rawValue))]
        case let .alreadyCurrent(release):
            return [M("release", .string(release.rawValue))]
        case let .batchStarted(index, count, hosts, canary, kind):
            return [M("batch", .int(index)), M("batches", .int(count)), M("hosts", .array(hosts.map(JSONValue.string))),
                    M("canary", .bool(canary)), M("kind", .string(kind.rawValue))]
        case let .batchFinished(index, count, hosts, failed, kind):
            return [M("batch", .int(index)), M("batches", .int(count)), M("hosts", .array(hosts.map(JSONValue.string))),
                    M("failed", .array(failed.map(JSONValue.string))), M("kind", .string(kind.rawValue))]
        case let .hookFinished(_, hook, seconds, exitStatus, target):
            // `on`: null on the host itself, else `controller` or the hook host's name.
            let on: String? = target == .switchedHost ? nil : target.description
            return [M("hook", .string(hook.rawValue)), M("seconds", .seconds(seconds)), M("exit_status", .int(exitStatus)),
                    M("on", .optional(on))]
        case let .healthChecked(_, attempt, attempts, ok, output):
            return [M("attempt", .int(attempt)), M("attempts", .int(attempts)), M("ok", .bool(ok)),
                    M("output", .array(output.map(JSONValue.string)))]
        case let .commandOutput(_, stream, line):
            return [M("stream", .string(stream.rawValue)), M("line", .string(line))]
        case let .interruptRequested(signal):
            return [M("signal", .string(signal))]
        case let .diagnostic(diagnostic):
            return [M("severity", .string(diagnostic.severity.rawValue)), M("message", .string(diagnostic.message)),
                    M("file", .optional(diagnostic.location?.file)), M("line", .optional(diagnostic.location?.line)),
                    M("column", .optional(diagnostic.location?.column)), M("note", .optional(diagnostic.note))]
        case let .notified(event, hook, ok, message):
            return [M("event", .string(event.rawValue)), M("hook", .string(hook)), M("ok", .bool(ok)),
                    M("message", .string(message))]
        case let .summary(summary):
            let hosts = summary.hosts.map { state in
                JSONValue.object([M("host", .string(state.host)), M("current", .optional(state.current?.rawValue)),
                                  M("known", .bool(state.known)), M("lock_released", .bool(state.lockReleased))])
            }
            return [M("action", .string(summary.action.rawValue)), M("result", .string(summary.result.rawValue)),
                    M("exit_code", .int(Int(summary.result.exitStatus))),
                    M("release", .optional(summary.release?.rawValue)), M("message", .string(summary.message)),
                    M("seconds", .seconds(summary.seconds)), M("hosts", .array(hosts))]
                + (summary.skippedTasks.isEmpty ? [] : [M("skipped_tasks", .array(summary.skippedTasks.map { skipped in
                    JSONValue.object([M("task", .string(skipped.task)), M("phase", .string(skipped.phase.rawValue)),
                                      M("hosts", .array(skipped.hosts.map(JSONValue.string))),
                                      M("reason", .string(skipped.reason))])
                }))])
        }
    }
}
