import Foundation

/// Lets the command line ask a running push or rollback to stop: after a
/// request no new step starts, and the step in flight is finished or undone.
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    /// Asks the run to wind down; `reason` is e.g. `SIGINT`. Later requests keep the first reason.
    public func requestStop(_ reason: String) {
        lock.withLock { if self.reason == nil { self.reason = reason } }
    }

    /// The reason a stop was requested, nil while the run may go on.
    public var stopReason: String? { lock.withLock { reason } }
}
