import DeployerModel
import Foundation

/// Gathers one script's markers as they stream in and turns task progress
/// into events at once, timing each task on the controller's clock.
///
/// Bounded like the events' stderr tails: of a host's warnings only the first `maximumWarnings` of
/// the script (one step on one host) are reported and kept, the rest counted and reported as one
/// warning by `finish()` (25 MB of warning lines once made a 204 MB audit log); of a health check's
/// output only the lines its script sends (`HostScripts.healthOutputLines`) are kept.
final class MarkerCollector: @unchecked Sendable {
    /// Warnings reported per script.
    static let maximumWarnings = 100

    private let host: String
    private let reporter: any Reporter
    /// Each task's command as sent (secrets masked), by task name.
    private let commands: [String: String]
    private let switchKind: SwitchKind?
    private let began = ContinuousClock.now
    private let lock = NSLock()
    private var collected: [ScriptMarker] = []
    private var taskStarts: [String: ContinuousClock.Instant] = [:]
    private var hookStarts: [RolloutHook: ContinuousClock.Instant] = [:]
    private var healthOutput: [String] = []
    private var warnings = 0
    private var droppedWarnings = 0

    init(host: String, reporter: any Reporter, commands: [String: String] = [:], switchKind: SwitchKind? = nil) {
        self.host = host
        self.reporter = reporter
        self.commands = commands
        self.switchKind = switchKind
    }

    var markers: [ScriptMarker] { lock.withLock { collected } }

    /// Reports, once the script has ended, how many of its warnings were dropped.
    func finish() {
        let dropped = lock.withLock { droppedWarnings }
        guard dropped > 0 else { return }
        reporter.report(.hostWarning(host: host, message: "\(dropped) more warning\(dropped == 1 ? "" : "s") of this step "
            + "not shown (at most \(Self.maximumWarnings) are reported per step)"))
    }

    func add(_ marker: ScriptMarker) {
        let now = ContinuousClock.now
        let kept: Bool = lock.withLock {
            switch marker {
            case .warning:
                warnings += 1
                if warnings > Self.maximumWarnings { droppedWarnings += 1 }
                return warnings <= Self.maximumWarnings
            case .healthOutput: return healthOutput.count < HostScripts.healthOutputLines
            default: return true
            }
        }
        guard kept else { return }
        let (started, output): (ContinuousClock.Instant?, [String]) = lock.withLock {
            collected.append(marker)
            switch marker {
            case let .taskStarted(_, task): taskStarts[task] = now
            case let .taskFinished(_, task, _): return (taskStarts[task], [])
            case let .hookStarted(hook): hookStarts[hook] = now
            case let .hookFinished(hook, _): return (hookStarts[hook], [])
            case let .healthOutput(_, line): healthOutput.append(line)
            case .healthChecked:
                defer { healthOutput = [] }
                return (nil, healthOutput)
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
        case let .warning(message):
            reporter.report(.hostWarning(host: host, message: message))
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
