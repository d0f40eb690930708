import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// How a child process ended.
    public struct Exit: Sendable, Equatable {
        /// The exit status, or the signal number when `signaled`.
        public var status: Int32
        public var signaled: Bool

        /// Exit status 0, not killed by a signal.
        public var succeeded: Bool { status == 0 && !signaled }
    }

    /// Serializes launches: swift-corelibs-foundation's `run()` crashed (a bad
    /// memcpy inside `Process.run`) in two test runs where many threads launched
    /// children at once.
    private static let launchLock = NSLock()

    /// `run()`, one launch at a time across the process.
    public func runSerialized() throws {
        try Process.launchLock.withLock { try run() }
    }

    /// How long a child may stay a zombie that Foundation has not reaped before we reap it.
    private static let unreapedGrace: Duration = .seconds(3)

    /// Blocks until the child has ended, reaping it itself only when Foundation did not.
    ///
    /// swift-corelibs-foundation on Linux occasionally misses a child's exit when
    /// many processes are launched concurrently: the child stays a zombie and
    /// `waitUntilExit()` blocks forever (seen once in this project's CI runs, in
    /// `CutLink.remove`). Reaping in a race with Foundation corrupts its
    /// bookkeeping, so this only watches `/proc/PID/stat` and reaps a child that
    /// has been a zombie for `unreapedGrace` while Foundation still calls it
    /// running. Blocks the calling thread: call it off Swift's cooperative pool.
    public func waitForExit() -> Exit {
        let pid = processIdentifier
        let clock = ContinuousClock()
        var zombieSince: ContinuousClock.Instant?
        while isRunning {
            if Process.isZombie(pid) {
                let since = zombieSince ?? clock.now
                zombieSince = since
                if since.duration(to: clock.now) > Process.unreapedGrace, isRunning {
                    var raw: Int32 = 0
                    if waitpid(pid, &raw, WNOHANG) == pid {
                        let signal = raw & 0x7f
                        return signal == 0 ? Exit(status: (raw >> 8) & 0xff, signaled: false) : Exit(status: signal, signaled: true)
                    }
                }
            }
            usleep(5_000)
        }
        return Exit(status: terminationStatus, signaled: terminationReason == .uncaughtSignal)
    }

    /// Whether `pid` has exited and not been reaped (state `Z` in `/proc/PID/stat`).
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].dropFirst().first == "Z"
    }
}
