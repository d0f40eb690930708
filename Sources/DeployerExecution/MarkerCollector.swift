import DeployerModel
import Foundation

/// Gathers one script's markers as they stream in and turns task progress
/// into events at once, timing each task on the controller's clock.
final class MarkerCollector: @unchecked Sendable {
    private let host: String
    private let reporter: any Reporter
    private let lock = NSLock()
    private var collected: [ScriptMarker] = []
    private var taskStarts: [String: ContinuousClock.Instant] = [:]

    init(host: String, reporter: any Reporter) {
        self.host = host
        self.reporter = reporter
    }

    var markers: [ScriptMarker] { lock.withLock { collected } }

    func add(_ marker: ScriptMarker) {
        let now = ContinuousClock.now
        let started: ContinuousClock.Instant? = lock.withLock {
            collected.append(marker)
            switch marker {
            case let .taskStarted(_, task): taskStarts[task] = now; return nil
            case let .taskFinished(_, task, _): return taskStarts[task]
            default: return nil
            }
        }
        switch marker {
        case let .taskStarted(phase, task):
            reporter.report(.taskStarted(host: host, task: task, phase: phase))
        case let .taskFinished(phase, task, status):
            reporter.report(.taskFinished(host: host, task: task, phase: phase,
                                          seconds: started.map { $0.duration(to: now).seconds } ?? 0, exitStatus: status))
        case let .taskSkipped(phase, task, reason):
            reporter.report(.taskSkipped(host: host, task: task, phase: phase, reason: reason))
        case let .env(name, directory, reused):
            reporter.report(.envReady(host: host, name: name, directory: directory, reused: reused))
        default:
            break
        }
    }
}
