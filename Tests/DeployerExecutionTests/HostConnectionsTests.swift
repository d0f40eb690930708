@testable import DeployerExecution
import DeployerModel
import Foundation
import Synchronization
import Testing

/// The end of a run closes every host's connection. With the OpenSSH transport a close is an
/// `ssh -O exit` process, so the hosts close side by side, a bounded number at a time.
@Suite struct HostConnectionsTests {
    @Test func closeAllClosesTheHostsSideBySideUpToItsLimit() async throws {
        let limit = HostConnections.closingAtOnce
        let closes = CloseCounter(awaited: limit)
        let connections = HostConnections(connector: SlowClosingHosts(closes: closes), reporter: SilentReporter())
        for number in 1...(limit + 4) {
            _ = try await connections.transport(for: FleetHost(address: HostAddress(parsing: "web\(number)")!, roles: ["web"]))
        }
        await connections.closeAll()
        #expect(closes.peak == limit, "one close at a time made a 50-host OpenSSH run wait 5–12 s after its last step")
        #expect(closes.finished == limit + 4)
    }
}

/// Counts the closes in flight; each close waits (up to half a second) until `awaited` were in flight at once.
private final class CloseCounter: Sendable {
    private let state = Mutex((inFlight: 0, peak: 0, finished: 0))
    let awaited: Int

    init(awaited: Int) { self.awaited = awaited }

    var peak: Int { state.withLock { $0.peak } }
    var finished: Int { state.withLock { $0.finished } }

    func close() async {
        state.withLock { state in
            state.inFlight += 1
            state.peak = max(state.peak, state.inFlight)
        }
        let deadline = ContinuousClock.now + .milliseconds(500)
        while peak < awaited, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        state.withLock { state in
            state.inFlight -= 1
            state.finished += 1
        }
    }
}

/// Hosts whose connections take a while to close, as an OpenSSH master does.
private struct SlowClosingHosts: Connector {
    let closes: CloseCounter

    func connect(to host: FleetHost) async throws(TransportError) -> any Transport { SlowClosingTransport(closes: closes) }
}

private struct SlowClosingTransport: Transport {
    let closes: CloseCounter

    func run(_ command: String, input: [CommandInput], timeout: Double?,
             onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        CommandResult(exitStatus: 0, stdout: "", stderr: "")
    }

    func close() async { await closes.close() }
}
