import DeployerModel
import Foundation

/// Passes a push's events on to `reporter`, noting each task skipped on a host right after its
/// `check:` found nothing pending there, so the push's summary can list them (`skippedTasks`):
/// the `task_skipped` events scroll by, the summary is what a person reads.
final class NothingPendingWatch: Reporter, @unchecked Sendable {
    private struct Key: Hashable {
        var host: String
        var task: String
    }

    private let reporter: any Reporter
    private let lock = NSLock()
    private var nothingPending: Set<Key> = []
    private var skipped: [SkippedTask] = []

    init(reporter: any Reporter) { self.reporter = reporter }

    /// The tasks skipped so far for nothing pending, once each in the order first seen, with their
    /// hosts in `hostOrder` (the inventory's: hosts report in whatever order they finish).
    func skippedTasks(hostOrder: [String]) -> [SkippedTask] {
        lock.withLock { skipped }.map { skipped in
            var ordered = skipped
            ordered.hosts = hostOrder.filter(skipped.hosts.contains)
            return ordered
        }
    }

    func report(_ event: DeployEvent) {
        switch event {
        case let .taskChecked(host, task, _, pending, _) where !pending:
            lock.withLock { _ = nothingPending.insert(Key(host: host, task: task)) }
        case let .taskSkipped(host, task, phase, reason):
            lock.withLock {
                guard nothingPending.remove(Key(host: host, task: task)) != nil else { return }
                if let index = skipped.firstIndex(where: { $0.task == task && $0.phase == phase && $0.reason == reason }) {
                    skipped[index].hosts.append(host)
                } else {
                    skipped.append(SkippedTask(task: task, phase: phase, hosts: [host], reason: reason))
                }
            }
        default:
            break
        }
        reporter.report(event)
    }
}
