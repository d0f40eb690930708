import DeployerModel
import Foundation

/// Keeps every event, for assertions on what the executor reported.
final class RecordingReporter: Reporter, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [DeployEvent] = []

    func report(_ event: DeployEvent) { lock.withLock { recorded.append(event) } }

    var events: [DeployEvent] { lock.withLock { recorded } }

    /// `(host, task)` of every task that ran (started), in order.
    var tasksStarted: [(String, String)] {
        events.compactMap { if case let .taskStarted(host, task, _, _) = $0 { (host, task) } else { nil } }
    }
}
