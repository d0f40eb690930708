import DeployerModel
import Foundation

/// Follows the events of a run to know, at any moment, which release each
/// host runs and where this run holds the lock, so a forced exit can say
/// what state it leaves.
final class FleetStateTracker: Reporter, @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: [String] = []
    private var current: [String: ReleaseID?] = [:]
    private var locked: Set<String> = []

    func report(_ event: DeployEvent) {
        lock.withLock {
            switch event {
            case let .runStarted(_, _, _, names): hosts = names
            case let .probed(host, release): current[host] = release
            case let .switched(host, _, to, _): current[host] = to
            case let .lockAcquired(host): locked.insert(host)
            case let .lockReleased(host): locked.remove(host)
            default: break
            }
        }
    }

    /// One paragraph: which host runs which release, and the locks left behind.
    var description: String {
        lock.withLock {
            var groups: [String: [String]] = [:]
            for host in hosts {
                let release = current[host].map { $0?.rawValue ?? "no release" } ?? "unknown"
                groups[release, default: []].append(host)
            }
            var text = groups.sorted { $0.key < $1.key }
                .map { "\($0.value.joined(separator: ", ")): \($0.key)" }.joined(separator: "; ")
            if !locked.isEmpty {
                text += "\nthe deploy lock is still held on " + hosts.filter(locked.contains).joined(separator: ", ")
                    + "; remove it with `deployer unlock`"
            }
            return text
        }
    }
}
