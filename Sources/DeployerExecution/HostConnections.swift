import DeployerModel
import Foundation

/// The open transports of one run, one per host, connected on first use and
/// reused by every later step; a host that failed to connect stays failed.
final class HostConnections: @unchecked Sendable {
    private let connector: any Connector
    private let reporter: any Reporter
    private let lock = NSLock()
    private var transports: [String: any Transport] = [:]
    private var failures: [String: TransportError] = [:]
    private var connected: Set<String> = []
    /// The run's steps in flight on these connections, with their deadlines: the heartbeat refreshes
    /// the run's locks only while they get on.
    let steps = StepWatch()

    init(connector: any Connector, reporter: any Reporter) {
        self.connector = connector
        self.reporter = reporter
    }

    func transport(for host: DeployerModel.Host) async throws(TransportError) -> any Transport {
        if let known = lock.withLock({ transports[host.name] }) { return known }
        if let failure = lock.withLock({ failures[host.name] }) { throw failure }
        let start = ContinuousClock.now
        do {
            let transport = try await connector.connect(to: host)
            lock.withLock {
                transports[host.name] = transport
                connected.insert(host.name)
            }
            reporter.report(.hostConnected(host: host.name, seconds: start.duration(to: .now).seconds))
            return transport
        } catch {
            lock.withLock { failures[host.name] = error }
            reporter.report(.hostUnreachable(host: host.name, message: error.message))
            throw error
        }
    }

    /// Whether this run reached `host` at some point (a command there may have had effects).
    func hasConnected(_ host: String) -> Bool { lock.withLock { connected.contains(host) } }

    /// Forgets a host whose connection broke, so a later step may try once more.
    func drop(_ host: String) {
        lock.withLock { _ = transports.removeValue(forKey: host) }
    }

    func closeAll() async {
        let open = lock.withLock { () -> [any Transport] in
            defer { transports = [:] }
            return Array(transports.values)
        }
        for transport in open { await transport.close() }
    }
}

extension Duration {
    /// The duration in seconds, for events.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
