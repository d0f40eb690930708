import Foundation

/// A clock for reproducible output: starts at a fixed instant and moves only
/// when told (or by `step` each time it is read).
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double
    private let step: Double

    /// `start` in seconds since 1970; `step` added after every read.
    init(start: Double = 1_795_923_900, step: Double = 0) {
        seconds = start
        self.step = step
    }

    /// The time now, in seconds, then advances by `step`.
    func read() -> Double {
        lock.withLock {
            defer { seconds += step }
            return seconds
        }
    }

    func date() -> Date { Date(timeIntervalSince1970: read()) }

    func advance(by delta: Double) {
        lock.withLock { seconds += delta }
    }
}
