import CLibSSH2
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One session's serial executor and what the session waits on: its socket, the local ends of
/// the tunnels it carries, deadlines, keepalives and peer silence.
///
/// Every libssh2 call of a session runs on the `SSHLoopThread` the session is pinned to (the
/// session actor's executor is this loop, whose jobs that thread runs one at a time), so no
/// blocking or spinning ever happens on Swift's cooperative pool and a session's libssh2 calls
/// never run concurrently. libssh2 runs non-blocking; an operation that gets `EAGAIN` suspends in
/// `wait(until:)`, and the thread resumes it when the socket is ready, its deadline passes, the
/// peer has been silent too long, or it is cancelled. A few threads drive every session (see
/// `SSHLoopThread.poolSize`), whatever the number of hosts.
final class SSHEventLoop: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: `thread` is immutable; every other field is touched only by jobs and
    // code running on that thread, which runs one at a time. Cancellation from other threads goes
    // through the thread's Mutex (`SSHLoopThread.cancel`).

    /// Why a `wait(until:)` returned.
    enum WaitOutcome: Sendable {
        /// The socket is ready, or another operation made progress: try again.
        case ready
        /// The caller's deadline passed.
        case deadline
        /// No byte arrived for `peerSilenceLimit` although keepalives were sent.
        case peerSilent
        /// The waiting task was cancelled, or the session is being closed.
        case cancelled
        /// The peer closed the connection and libssh2 still waits for data.
        case closed
    }

    private struct Waiter {
        var id: UInt64
        var deadline: UInt64?
        var continuation: CheckedContinuation<WaitOutcome, Never>
    }

    /// POLLRDHUP (Linux): the peer shut down its side. Glibc hides it behind _GNU_SOURCE.
    private static let pollReadHangup: Int16 = 0x2000

    /// The pool thread that runs this session's jobs and polls for it.
    let thread: SSHLoopThread

    // Loop thread only.
    private var waiters: [Waiter] = []
    private var cancelledWaiters: Set<UInt64> = []
    private var nextWaiterID: UInt64 = 0
    private var activeOperations = 0
    private var lastInbound: UInt64 = 0
    private var madeProgress = false
    /// Consecutive polls that saw the peer's end closed; the second one ends the waits.
    private var hangupPolls = 0
    /// When `keepAlive` is next due (libssh2 says how long it may wait).
    private var keepAliveDue: UInt64 = 0
    /// Whether the thread's last poll watched the socket (then first of this loop's descriptors).
    private var polledSocket = false
    /// The session socket, or -1 before it is connected.
    var socket: Int32 = -1
    /// Other descriptors whose readiness wakes the waiters like the socket's (the local ends of
    /// ProxyJump tunnels this session carries), with the poll events each needs now (0: not
    /// watched). Any descriptor may be waited on this way.
    var tunnelEvents: [Int32: Int16] = [:]
    /// Poll events the socket needs now (libssh2's block directions); called on the loop thread.
    var socketEvents: () -> Int16 = { Int16(POLLIN) }
    /// Called when the loop is idle or waiting: sends a keepalive if one is due and returns the
    /// nanoseconds until the next one, or nil when keepalives are off.
    var keepAlive: (() -> UInt64?)? {
        didSet { keepAliveDue = 0 }
    }
    /// A wait fails with `.peerSilent` after this many nanoseconds without an inbound byte.
    var peerSilenceLimit: UInt64?
    /// Keeps the loop polled while a session is open even with no work (for keepalives).
    var holdsSession = false {
        didSet { if holdsSession { thread.watch(self) } }
    }

    init(thread: SSHLoopThread = .next()) {
        self.thread = thread
    }

    // MARK: SerialExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        thread.enqueue(UnownedJob(job), for: self)
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    // MARK: Waiting (called on the loop thread, from the session actor)

    /// Suspends until the socket is ready, `deadline` (monotonic nanoseconds) passes, the peer
    /// goes silent, or the task is cancelled.
    ///
    /// Runs in the caller's isolation (the session actor, hence on the loop's thread): a plain
    /// nonisolated async method would hop to the global executor and touch `waiters` off-thread.
    func wait(until deadline: UInt64?, isolation: isolated (any Actor)? = #isolation) async -> WaitOutcome {
        nextWaiterID &+= 1
        let id = nextWaiterID
        return await withTaskCancellationHandler {
            // Capturing `isolation` keeps this closure on the caller's executor (SE-0420).
            _ = isolation
            return await withCheckedContinuation { continuation in
                assert(thread.isCurrent, "SSHEventLoop.wait called off the loop thread")
                waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                thread.watch(self)
            }
        } onCancel: {
            thread.cancel(waiter: id, of: self)
        }
    }

    /// Marks the start of an operation on the session; silence is measured from the first one.
    func beginOperation() {
        if activeOperations == 0 { lastInbound = Monotonic.now() }
        activeOperations += 1
    }

    /// Marks the end of an operation begun with `beginOperation()`.
    func endOperation() { activeOperations -= 1 }

    /// Tells the loop that an operation consumed data, so others may now find theirs in
    /// libssh2's buffers without the socket becoming readable again.
    func noteProgress() { madeProgress = true }

    /// Wakes every waiter with `.cancelled`; used when the session closes.
    func cancelAllWaiters() {
        let all = waiters
        waiters.removeAll()
        for waiter in all { waiter.continuation.resume(returning: .cancelled) }
    }

    // MARK: Polling (called by the thread, between jobs)

    /// Whether the thread must keep polling for this loop.
    var needsWatching: Bool { !waiters.isEmpty || holdsSession }

    /// Records that the wait `waiter` was cancelled; it ends at the next poll.
    func markCancelled(_ waiter: UInt64) { cancelledWaiters.insert(waiter) }

    /// Adds the descriptors to poll for this session to `fds`, sends a keepalive if one is due,
    /// and returns the earliest moment the thread must look again (nil: only when woken).
    func addDescriptors(to fds: inout [pollfd], now: UInt64) -> UInt64? {
        var due: UInt64? = madeProgress || !cancelledWaiters.isEmpty ? now : nil
        func limit(_ at: UInt64) { due = min(due ?? .max, at) }
        if let keepAlive, socket >= 0 {
            if now >= keepAliveDue, let next = keepAlive() { keepAliveDue = now + next }
            limit(keepAliveDue)
        }
        for waiter in waiters { if let deadline = waiter.deadline { limit(deadline) } }
        polledSocket = socket >= 0 && !waiters.isEmpty
        if polledSocket {
            if let silence = peerSilenceLimit { limit(lastInbound + silence) }
            fds.append(pollfd(fd: socket, events: socketEvents() | Self.pollReadHangup, revents: 0))
        }
        if !waiters.isEmpty {
            for (fd, events) in tunnelEvents where events != 0 { fds.append(pollfd(fd: fd, events: events, revents: 0)) }
        }
        return due
    }

    /// Takes this session's share of a poll's answer (`polled`, in the order `addDescriptors`
    /// added them) and resumes the waits it ends.
    func handle(_ polled: ArraySlice<pollfd>, now: UInt64) {
        let socketRevents = polledSocket ? polled.first?.revents ?? 0 : 0
        let socketReady = socketRevents != 0
        let tunnelReady = polled.dropFirst(polledSocket ? 1 : 0).contains { $0.revents != 0 }
        if socketRevents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            lastInbound = now
            // Acknowledge at once what libssh2 is about to read: otherwise the peer's Nagle
            // algorithm meets our delayed ACK and each round trip stalls ~40 ms (Linux only).
            var one: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let hangup = socketRevents & (Self.pollReadHangup | Int16(POLLHUP | POLLERR)) != 0
        hangupPolls = hangup && !madeProgress ? hangupPolls + 1 : 0
        resumeWaiters(now: now, socketReady: socketReady || tunnelReady || madeProgress, watchingSocket: polledSocket)
        madeProgress = false
    }

    private func resumeWaiters(now: UInt64, socketReady: Bool, watchingSocket: Bool) {
        let cancelled = cancelledWaiters
        cancelledWaiters.removeAll()
        let silent = watchingSocket && (peerSilenceLimit.map { now >= lastInbound + $0 } ?? false)
        var remaining: [Waiter] = []
        var resumed: [(Waiter, WaitOutcome)] = []
        for waiter in waiters {
            if cancelled.contains(waiter.id) {
                resumed.append((waiter, .cancelled))
            } else if let deadline = waiter.deadline, now >= deadline {
                resumed.append((waiter, .deadline))
            } else if hangupPolls >= 2 {
                resumed.append((waiter, .closed))
            } else if socketReady {
                resumed.append((waiter, .ready))
            } else if silent {
                resumed.append((waiter, .peerSilent))
            } else {
                remaining.append(waiter)
            }
        }
        waiters = remaining
        for (waiter, outcome) in resumed { waiter.continuation.resume(returning: outcome) }
    }
}
