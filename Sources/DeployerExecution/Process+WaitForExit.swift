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

    /// Blocks until the child has ended, reaping it itself when Foundation does not.
    ///
    /// swift-corelibs-foundation on Linux occasionally misses a child's exit when
    /// many processes are launched concurrently: the child stays a zombie and
    /// `waitUntilExit()` blocks forever (seen in this project's test runs). Polling
    /// `waitpid(WNOHANG)` for this one pid ends the wait either way. Call it off
    /// Swift's cooperative pool: it blocks the calling thread.
    public func waitForExit() -> Exit {
        let pid = processIdentifier
        while isRunning {
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                let signal = raw & 0x7f
                return signal == 0 ? Exit(status: (raw >> 8) & 0xff, signaled: false) : Exit(status: signal, signaled: true)
            }
            if reaped < 0, errno == ECHILD {
                // Foundation reaped it an instant ago; its bookkeeping follows.
                while isRunning { usleep(1_000) }
                break
            }
            usleep(2_000)
        }
        return Exit(status: terminationStatus, signaled: terminationReason == .uncaughtSignal)
    }
}
