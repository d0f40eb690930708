import DeployerModel
import Foundation

/// Passes a push's events on to `reporter`, noting each `irreversible: true` task that starts on a
/// host: the finish step records them on every host of the push and in its history
/// (`Scripts/finish.sh`), not only on the host that ran them.
final class IrreversibleWatch: Reporter, @unchecked Sendable {
    private let release: ReleaseID
    private let tasks: Set<String>
    private let reporter: any Reporter
    private let lock = NSLock()
    private var started: [IrreversibleRun] = []

    init(release: ReleaseID, tasks: Set<String>, reporter: any Reporter) {
        self.release = release; self.tasks = tasks; self.reporter = reporter
    }

    /// The irreversible tasks that started so far, once each, at the controller's time.
    var runs: [IrreversibleRun] { lock.withLock { IrreversibleRun.merged(started) } }

    func report(_ event: DeployEvent) {
        if case let .taskStarted(_, task, phase, _) = event, phase != .onFailure, tasks.contains(task) {
            let run = IrreversibleRun(release: release, task: task, at: Executor.isoNow())
            lock.withLock { started.append(run) }
        }
        reporter.report(event)
    }
}
