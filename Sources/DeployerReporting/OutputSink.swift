import Foundation

/// Writes text to a file handle from its own serial queue, so a reporter
/// (and the executor calling it) never waits on a slow pipe, a paused
/// terminal or a disk; `flush()` waits until everything written so far is out.
public final class OutputSink: Sendable {
    private let handle: FileHandle
    private let queue: DispatchQueue

    /// Writes to `handle`, which the sink does not close.
    public init(_ handle: FileHandle) {
        self.handle = handle
        queue = DispatchQueue(label: "deployer.output-sink")
    }

    /// Queues `text`; a write error (a closed pipe) drops the text rather than failing the run.
    public func write(_ text: String) {
        let handle = handle
        queue.async { handle.writeUnlessClosed(text) }
    }

    /// Returns once every text queued before the call has been written.
    public func flush() {
        queue.sync {}
    }
}
