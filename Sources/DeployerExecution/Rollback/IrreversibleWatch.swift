import DeployerModel
import Synchronization

/// Passes a push's events on to `reporter`, noting each `irreversible: true` task that starts on a
/// host: the finish step records them on every host of the push and in its history
/// (`Scripts/finish.sh`), not only on the host that ran them.
final class IrreversibleWatch: Reporter, Sendable {
    private let release: ReleaseID
    private let tasks: Set<String>
    private let reporter: any Reporter
    private let started = Mutex<[IrreversibleRun]>([])

    init(release: ReleaseID, tasks: Set<String>, reporter: any Reporter) {
        self.release = release; self.tasks = tasks; self.reporter = reporter
    }

    /// The irreversible tasks that started so far, once each, at the controller's time.
    var runs: [IrreversibleRun] { started.withLock { IrreversibleRun.merged($0) } }

    func report(_ event: DeployEvent) {
        if case let .taskStarted(_, task, phase, _) = event, phase != .onFailure, tasks.contains(task) {
            let run = IrreversibleRun(release: release, task: task, at: Executor.isoNow())
            started.withLock { $0.append(run) }
        }
        reporter.report(event)
    }
}
