import DeployerModel
import Foundation
import Synchronization

/// JSON Lines for programs (CI steps, dashboards, the audit log): one object
/// per event, versioned by `"schema": 1` and documented in
/// docs/json-events.md with its JSON Schema in docs/json-events.schema.json.
/// Every event is written, whatever the verbosity.
public final class JSONReporter: Reporter, Sendable {
    private let clock: @Sendable () -> Date
    private let write: @Sendable (String) -> Void
    /// Held while a line is written, so lines from concurrent reports never interleave.
    private let writing = Mutex(())

    /// - Parameters:
    ///   - clock: the `time` of each event (a fixed clock makes output reproducible).
    ///   - write: receives each line with its newline, in order (standard output by default).
    public init(clock: @escaping @Sendable () -> Date = { Date() },
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.writeUnlessClosed($0) }) {
        self.clock = clock
        self.write = write
    }

    public func report(_ event: DeployEvent) {
        writing.withLock { _ in write(event.jsonObject(time: clock()).serialized + "\n") }
    }
}
