import Synchronization

/// Lets the command line ask a running push or rollback to stop: after a
/// request no new step starts, and the step in flight is finished or undone.
public final class RunControl: Sendable {
    private let reason = Mutex<String?>(nil)

    public init() {}

    /// Asks the run to wind down; `reason` is e.g. `SIGINT`. Later requests keep the first reason.
    public func requestStop(_ reason: String) {
        self.reason.withLock { if $0 == nil { $0 = reason } }
    }

    /// The reason a stop was requested, nil while the run may go on.
    public var stopReason: String? { reason.withLock { $0 } }
}
