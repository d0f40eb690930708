import DeployerModel
import Foundation
import Synchronization

/// Gathers one script's markers as they stream in and turns task progress
/// into events at once, timing each task on the controller's clock.
///
/// Bounded like the events' stderr tails: of a host's warnings only the first `maximumWarnings` of
/// the script (one step on one host) are reported and kept, the rest counted and reported as one
/// warning by `finish()` (25 MB of warning lines once made a 204 MB audit log); of a health check's
/// output only the lines its script sends (`HostScripts.healthOutputLines`) are kept.
final class MarkerCollector: Sendable {
    /// Warnings reported per script.
    static let maximumWarnings = 100

    private let host: String
    private let reporter: any Reporter
    /// Each task's command as sent (secrets masked), by task name.
    private let commands: [String: String]
    private let switchKind: SwitchKind?
    private let began = ContinuousClock.now
    private let state = Mutex(Collected())

    /// What has arrived so far.
    private struct Collected {
        var markers: [ScriptMarker] = []
        var taskStarts: [String: ContinuousClock.Instant] = [:]
        var hookStarts: [RolloutHook: ContinuousClock.Instant] = [:]
        var healthOutput: [String] = []
        var checkOutput: [String] = []
        var warnings = 0
        var droppedWarnings = 0
    }

    init(host: String, reporter: any Reporter, commands: [String: String] = [:], switchKind: SwitchKind? = nil) {
        self.host = host
        self.reporter = reporter
        self.commands = commands
        self.switchKind = switchKind
    }

    var markers: [ScriptMarker] { state.withLock { $0.markers } }

    /// Reports, once the script has ended, how many of its warnings were dropped.
    func finish() {
        let dropped = state.withLock { $0.droppedWarnings }
        guard dropped > 0 else { return }
        reporter.report(.hostWarning(host: host, message: "\(dropped) more warning\(dropped == 1 ? "" : "s") of this step "
            + "not shown (at most \(Self.maximumWarnings) are reported per step)"))
    }

    func add(_ marker: ScriptMarker) {
        let now = ContinuousClock.now
        let kept: Bool = state.withLock { state in
            switch marker {
            case .warning:
                state.warnings += 1
                if state.warnings > Self.maximumWarnings { state.droppedWarnings += 1 }
                return state.warnings <= Self.maximumWarnings
            case .healthOutput: return state.healthOutput.count < HostScripts.healthOutputLines
            case .checkOutput: return state.checkOutput.count < HostScripts.checkOutputLines
            default: return true
            }
        }
        guard kept else { return }
        let (started, output): (ContinuousClock.Instant?, [String]) = state.withLock { state in
            state.markers.append(marker)
            switch marker {
            case let .taskStarted(_, task): state.taskStarts[task] = now
            case let .taskFinished(_, task, _): return (state.taskStarts[task], [])
            case let .hookStarted(hook): state.hookStarts[hook] = now
            case let .hookFinished(hook, _): return (state.hookStarts[hook], [])
            case let .healthOutput(_, line): state.healthOutput.append(line)
            case .healthChecked:
                defer { state.healthOutput = [] }
                return (nil, state.healthOutput)
            case let .checkOutput(_, line): state.checkOutput.append(line)
            case .checked:
                defer { state.checkOutput = [] }
                return (nil, state.checkOutput)
            default: break
            }
            return (nil, [])
        }
        switch marker {
        case let .taskStarted(phase, task):
            reporter.report(.taskStarted(host: host, task: task, phase: phase, command: commands[task]))
        case let .taskFinished(phase, task, status):
            reporter.report(.taskFinished(host: host, task: task, phase: phase,
                                          seconds: started.map { $0.duration(to: now).seconds } ?? 0, exitStatus: status))
        case let .taskSkipped(phase, task, reason):
            reporter.report(.taskSkipped(host: host, task: task, phase: phase, reason: reason))
        case let .env(name, directory, reused):
            reporter.report(.envReady(host: host, name: name, directory: directory, reused: reused))
        case let .hookFinished(hook, status):
            reporter.report(.hookFinished(host: host, hook: hook, seconds: started.map { $0.duration(to: now).seconds } ?? 0,
                                          exitStatus: status))
        case .uploaded:
            // The artifact came first on the script's input: its upload ends here, and prepare begins.
            reporter.report(.stepFinished(host: host, step: .upload, seconds: began.duration(to: now).seconds, outcome: .succeeded))
            reporter.report(.stepStarted(host: host, step: .prepare))
        case let .switched(from, to):
            if let switchKind { reporter.report(.switched(host: host, from: from, to: to, kind: switchKind)) }
        case let .healthChecked(attempt, attempts, ok):
            reporter.report(.healthChecked(host: host, attempt: attempt, attempts: attempts, ok: ok, output: output))
        case let .checked(phase, task, status):
            reporter.report(.taskChecked(host: host, task: task, phase: phase, pending: status != 0, output: output))
        case let .warning(message):
            reporter.report(.hostWarning(host: host, message: message))
        case let .taskOutput(line):
            reporter.report(.commandOutput(host: host, stream: .combined, line: line))
        case let .pruned(release):
            reporter.report(.pruned(host: host, kind: .release, name: release.rawValue))
        case let .prunedEnv(name):
            reporter.report(.pruned(host: host, kind: .env, name: name))
        case let .prunedArtifact(digest):
            reporter.report(.pruned(host: host, kind: .artifact, name: digest))
        default:
            break
        }
    }
}
