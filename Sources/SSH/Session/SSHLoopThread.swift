import CLibSSH2
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One OS thread of the fixed pool that drives every SSH session: it runs the jobs of the
/// sessions pinned to it, one at a time, and between them sleeps in one `poll()` over all their
/// descriptors and an eventfd.
///
/// A thread per session cost a stack, a malloc arena and a scheduler entry per host (210 threads
/// and 69 MB for a push to 200 hosts); a few threads each polling many sockets keep the thread
/// count constant whatever the fleet. What one session waits on, and why a wait ends, stays with
/// that session's `SSHEventLoop`; this thread only gathers their descriptors and deadlines,
/// polls, and hands each loop its share of the answer.
final class SSHLoopThread: @unchecked Sendable {
    // @unchecked Sendable: what other threads touch is in `shared` (a Mutex) or immutable;
    // `watched` and `thread` are touched only on this thread, which runs one job at a time.

    /// What other threads hand the thread: jobs to run, and waits cancelled.
    private struct Shared {
        var jobs: [(job: UnownedJob, loop: SSHEventLoop)] = []
        var cancelledWaits: [(loop: SSHEventLoop, waiter: UInt64)] = []
        var started = false
    }

    private let shared = Mutex(Shared())
    private let wakeFD: Int32
    private let stackSize: Int
    private let name: String

    // This thread only.
    /// The loops with a wait pending or an open session (keepalives): the ones to poll for.
    private var watched: [ObjectIdentifier: SSHEventLoop] = [:]
    /// The thread once it runs (checked by assertions in debug builds).
    private(set) var thread: pthread_t = 0

    init(name: String, stackSize: Int = 1024 * 1024) {
        wakeFD = shim_eventfd()
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
        self.name = name
        self.stackSize = stackSize
    }

    deinit { close(wakeFD) }

    /// Runs `job` on this thread as a job of `loop`'s session; starts the thread the first time.
    func enqueue(_ job: UnownedJob, for loop: SSHEventLoop) {
        let start = shared.withLock { shared in
            shared.jobs.append((job, loop))
            defer { shared.started = true }
            return !shared.started
        }
        if start { startThread() } else { wake() }
    }

    /// Ends the wait `waiter` of `loop` with `.cancelled`; callable from any thread.
    func cancel(waiter: UInt64, of loop: SSHEventLoop) {
        shared.withLock { $0.cancelledWaits.append((loop, waiter)) }
        wake()
    }

    /// Polls for `loop` from now on, until it has neither waits nor an open session (this thread only).
    func watch(_ loop: SSHEventLoop) {
        watched[ObjectIdentifier(loop)] = loop
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), thread) != 0 }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func startThread() {
        let thread = Thread { [self] in run() }
        thread.stackSize = stackSize
        thread.name = name
        thread.start()
    }

    private func run() {
        thread = pthread_self()
        while true {
            let (batch, cancelled) = shared.withLock { shared in
                defer {
                    shared.jobs.removeAll(keepingCapacity: true)
                    shared.cancelledWaits.removeAll()
                }
                return (shared.jobs, shared.cancelledWaits)
            }
            for (loop, waiter) in cancelled { loop.markCancelled(waiter) }
            if !batch.isEmpty {
                for (job, loop) in batch { job.runSynchronously(on: loop.asUnownedSerialExecutor()) }
                continue
            }
            pollOnce()
        }
    }

    private func pollOnce() {
        let now = Monotonic.now()
        var timeout: UInt64?
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        var polled: [(loop: SSHEventLoop, fds: Range<Int>)] = []
        for (key, loop) in watched {
            guard loop.needsWatching else {
                watched[key] = nil
                continue
            }
            let first = fds.count
            if let due = loop.addDescriptors(to: &fds, now: now) {
                timeout = min(timeout ?? .max, due > now ? due - now : 0)
            }
            polled.append((loop, first..<fds.count))
        }
        let milliseconds = timeout.map { Int32(min(($0 + 999_999) / 1_000_000, 60_000)) } ?? -1
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        let after = Monotonic.now()
        if ready > 0 && fds[0].revents != 0 {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        }
        for (loop, range) in polled {
            loop.handle(ready > 0 ? fds[range] : [], now: after)
        }
    }
}
