import DeployerModel
import Foundation
import Synchronization

/// Follows the events of a run to know, at any moment, which release each
/// host runs and where this run holds the lock, so a forced exit can say
/// what state it leaves.
final class FleetStateTracker: Reporter, Sendable {
    private struct Fleet {
        var hosts: [String] = []
        var current: [String: ReleaseID?] = [:]
        var locked: Set<String> = []
    }

    private let fleet = Mutex(Fleet())

    func report(_ event: DeployEvent) {
        fleet.withLock { fleet in
            switch event {
            case let .runStarted(_, _, _, names): fleet.hosts = names
            case let .probed(host, release): fleet.current[host] = release
            case let .switched(host, _, to, _): fleet.current[host] = to
            case let .lockAcquired(host): fleet.locked.insert(host)
            case let .lockReleased(host): fleet.locked.remove(host)
            default: break
            }
        }
    }

    /// One paragraph: which host runs which release, and the locks left behind.
    var description: String {
        fleet.withLock { fleet in
            var groups: [String: [String]] = [:]
            for host in fleet.hosts {
                let release = fleet.current[host].map { $0?.rawValue ?? "no release" } ?? "unknown"
                groups[release, default: []].append(host)
            }
            var text = groups.sorted { $0.key < $1.key }
                .map { "\($0.value.joined(separator: ", ")): \($0.key)" }.joined(separator: "; ")
            if !fleet.locked.isEmpty {
                text += "\nthe deploy lock is still held on " + fleet.hosts.filter(fleet.locked.contains).joined(separator: ", ")
                    + "; remove it with `deployer unlock`"
            }
            return text
        }
    }
}
