import DeployerExecution
import DeployerModel
import Foundation
import DeployerReporting
import Synchronization

/// SIGINT and SIGTERM during a run: the first asks the run to stop after the
/// step in flight; the second exits at once, saying what state it leaves.
final class InterruptHandler: @unchecked Sendable {
    // @unchecked Sendable only for `sources`: filled in init, then only cancelled; Dispatch's sources
    // are safe to use from any thread but not marked Sendable.
    private var sources: [DispatchSourceSignal] = []
    /// Signals received so far.
    private let count = Atomic<Int>(0)

    /// `finish` flushes the run's output before a forced exit.
    init(control: RunControl, reporter: any Reporter, tracker: FleetStateTracker, finish: @escaping @Sendable () -> Void) {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let seen = count.wrappingAdd(1, ordering: .relaxed).newValue
                if seen == 1 {
                    control.requestStop(name)
                    reporter.report(.interruptRequested(signal: name))
                } else {
                    finish()
                    FileHandle.standardError.writeUnlessClosed("\nforced exit by a second \(name); the fleet is left as follows:\n"
                        + tracker.description + "\n")
                    exit(130)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Puts the default handlers back once the run is over.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
