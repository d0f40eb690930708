import DeployerModel
import Foundation
import Synchronization

/// The open transports of one run, one per host, connected on first use and
/// reused by every later step; a host that failed to connect stays failed.
final class HostConnections: Sendable {
    private struct Hosts {
        var transports: [String: any Transport] = [:]
        var failures: [String: TransportError] = [:]
        var connected: Set<String> = []
    }

    private let connector: any Connector
    private let reporter: any Reporter
    private let hosts = Mutex(Hosts())
    /// The run's steps in flight on these connections, with their deadlines: the heartbeat refreshes
    /// the run's locks only while they get on.
    let steps = StepWatch()
    /// The task refreshing the run's locks (`Executor.startHeartbeat`) while it may still run.
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    init(connector: any Connector, reporter: any Reporter) {
        self.connector = connector
        self.reporter = reporter
    }

    /// Makes `task` the run's heartbeat, which `stopHeartbeat` ends.
    func keepLocksAlive(with task: Task<Void, Never>) {
        heartbeat.withLock { $0 = task }
    }

    /// Ends the heartbeat and waits for a refresh in flight: one that ran while a finish removed
    /// the lock would write into the directory being removed ("Directory not empty"), or find the
    /// lock gone and take the run for taken over by another.
    func stopHeartbeat() async {
        let task = heartbeat.withLock { current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }
        guard let task else { return }
        task.cancel()
        await task.value
    }

    func transport(for host: FleetHost) async throws(TransportError) -> any Transport {
        if let known = hosts.withLock({ $0.transports[host.name] }) { return known }
        if let failure = hosts.withLock({ $0.failures[host.name] }) { throw failure }
        let start = ContinuousClock.now
        do {
            let transport = try await connector.connect(to: host)
            hosts.withLock {
                $0.transports[host.name] = transport
                $0.connected.insert(host.name)
            }
            reporter.report(.hostConnected(host: host.name, seconds: start.duration(to: .now).seconds))
            return transport
        } catch {
            hosts.withLock { $0.failures[host.name] = error }
            reporter.report(.hostUnreachable(host: host.name, message: error.message))
            throw error
        }
    }

    /// Whether this run reached `host` at some point (a command there may have had effects).
    func hasConnected(_ host: String) -> Bool { hosts.withLock { $0.connected.contains(host) } }

    /// Forgets a host whose connection broke, so a later step may try once more.
    func drop(_ host: String) {
        hosts.withLock { _ = $0.transports.removeValue(forKey: host) }
    }

    /// Connections closed at the same time by `closeAll`.
    static let closingAtOnce = 16

    /// Closes every open connection, `closingAtOnce` at a time: closing an OpenSSH master is an
    /// `ssh -O exit` process (0.05–0.3 s each on a loaded machine), so one after the other made a
    /// 50-host run wait 5–12 s after its last step.
    func closeAll() async {
        let open = hosts.withLock { hosts -> [any Transport] in
            defer { hosts.transports = [:] }
            return Array(hosts.transports.values)
        }
        _ = await concurrently(open, atMost: Self.closingAtOnce) { await $0.close() }
    }
}

extension Duration {
    /// The duration in seconds, for events.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
