import CLibSSH2
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A serial executor that owns one OS thread and waits on one socket with `poll()`.
///
/// Every libssh2 call of a session runs on this thread (the session actor's executor is this
/// loop), so no blocking or spinning ever happens on Swift's cooperative pool: a machine with two
/// cores drives hundreds of hosts, each on its own sleeping thread. libssh2 runs non-blocking;
/// an operation that gets `EAGAIN` suspends in `wait(until:)`, and the loop resumes it when the
/// socket is ready, its deadline passes, the peer has been silent too long, or it is cancelled
/// (through an eventfd that wakes `poll`). The thread exists only while there is work or an open
/// session, and is started again on demand.
final class SSHEventLoop: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: what other threads touch is in `shared` (a Mutex) or immutable; the fields
    // under "Loop thread only" are only touched by jobs and code running on the loop thread, which
    // the executor runs one at a time.

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

    /// What other threads hand the loop: jobs to run, and waits cancelled.
    private struct Shared {
        var jobs: [UnownedJob] = []
        var threadRunning = false
        var cancelledWaiters: Set<UInt64> = []
    }

    private let shared = Mutex(Shared())
    private let wakeFD: Int32
    private let stackSize: Int

    // Loop thread only.
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var activeOperations = 0
    private var lastInbound: UInt64 = 0
    private var madeProgress = false
    /// Consecutive polls that saw the peer's end closed; the second one ends the waits.
    private var hangupPolls = 0
    /// The session socket, or -1 before it is connected.
    var socket: Int32 = -1
    /// Local ends of ProxyJump tunnels carried by this session, with the poll events each needs
    /// now (0: not watched); readiness of one wakes the waiters like the socket's.
    var tunnelEvents: [Int32: Int16] = [:]
    /// Poll events the socket needs now (libssh2's block directions); called on the loop thread.
    var socketEvents: () -> Int16 = { Int16(POLLIN) }
    /// Called when the loop is idle or waiting: sends a keepalive if one is due and returns the
    /// nanoseconds until the next one, or nil when keepalives are off.
    var keepAlive: (() -> UInt64?)?
    /// A wait fails with `.peerSilent` after this many nanoseconds without an inbound byte.
    var peerSilenceLimit: UInt64?
    /// Keeps the thread alive while a session is open even with no work.
    var holdsSession = false
    /// The loop's thread while it runs (checked by assertions in debug builds).
    private var thread: pthread_t = 0

    init(stackSize: Int = 512 * 1024) {
        wakeFD = shim_eventfd()
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
        self.stackSize = stackSize
    }

    deinit { close(wakeFD) }

    // MARK: SerialExecutor

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let start = shared.withLock { shared in
            shared.jobs.append(unowned)
            defer { shared.threadRunning = true }
            return !shared.threadRunning
        }
        if start { startThread() } else { wake() }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    // MARK: Waiting (called on the loop thread, from the session actor)

    /// Suspends until the socket is ready, `deadline` (monotonic nanoseconds) passes, the peer
    /// goes silent, or the task is cancelled.
    ///
    /// Runs in the caller's isolation (the session actor, hence on this loop's thread): a plain
    /// nonisolated async method would hop to the global executor and touch `waiters` off-thread.
    func wait(until deadline: UInt64?, isolation: isolated (any Actor)? = #isolation) async -> WaitOutcome {
        nextWaiterID &+= 1
        let id = nextWaiterID
        return await withTaskCancellationHandler {
            // Capturing `isolation` keeps this closure on the caller's executor (SE-0420).
            _ = isolation
            return await withCheckedContinuation { continuation in
                assert(pthread_equal(pthread_self(), thread) != 0, "SSHEventLoop.wait called off the loop thread")
                waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
            }
        } onCancel: {
            _ = shared.withLock { $0.cancelledWaiters.insert(id) }
            wake()
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

    // MARK: The thread

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func startThread() {
        let thread = Thread { [self] in run() }
        thread.stackSize = stackSize
        thread.name = "ssh-session"
        thread.start()
    }

    private func run() {
        thread = pthread_self()
        while true {
            let next: [UnownedJob]? = shared.withLock { shared in
                let batch = shared.jobs
                shared.jobs.removeAll(keepingCapacity: true)
                if batch.isEmpty && waiters.isEmpty && !holdsSession {
                    shared.threadRunning = false
                    return nil
                }
                return batch
            }
            guard let batch = next else { return }
            if !batch.isEmpty {
                for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
                continue
            }
            pollOnce()
        }
    }

    private func pollOnce() {
        var now = Monotonic.now()
        var timeout: UInt64? = madeProgress ? 0 : nil
        func limit(_ at: UInt64) { timeout = min(timeout ?? .max, at > now ? at - now : 0) }
        if let keepAlive, socket >= 0 {
            if let next = keepAlive() { limit(now + next) }
        }
        for waiter in waiters { if let deadline = waiter.deadline { limit(deadline) } }
        let watchSocket = socket >= 0 && !waiters.isEmpty
        if watchSocket, let silence = peerSilenceLimit { limit(lastInbound + silence) }
        var fds = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        if watchSocket { fds.append(pollfd(fd: socket, events: socketEvents() | Self.pollReadHangup, revents: 0)) }
        let firstTunnel = fds.count
        if !waiters.isEmpty {
            for (fd, events) in tunnelEvents where events != 0 { fds.append(pollfd(fd: fd, events: events, revents: 0)) }
        }
        let milliseconds = timeout.map { Int32(min(($0 + 999_999) / 1_000_000, 60_000)) } ?? -1
        let ready = poll(&fds, nfds_t(fds.count), milliseconds)
        now = Monotonic.now()
        if ready > 0 && fds[0].revents != 0 {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        }
        let socketReady = watchSocket && ready > 0 && fds[1].revents != 0
        let tunnelReady = ready > 0 && fds[firstTunnel...].contains { $0.revents != 0 }
        if socketReady && fds[1].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            lastInbound = now
            // Acknowledge at once what libssh2 is about to read: otherwise the peer's Nagle
            // algorithm meets our delayed ACK and each round trip stalls ~40 ms (Linux only).
            var one: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let hangup = socketReady && fds[1].revents & (Self.pollReadHangup | Int16(POLLHUP | POLLERR)) != 0
        hangupPolls = hangup && !madeProgress ? hangupPolls + 1 : 0
        resumeWaiters(now: now, socketReady: socketReady || tunnelReady || madeProgress, watchingSocket: watchSocket)
        madeProgress = false
    }

    private func resumeWaiters(now: UInt64, socketReady: Bool, watchingSocket: Bool) {
        let cancelled = shared.withLock { shared in
            defer { shared.cancelledWaiters.removeAll() }
            return shared.cancelledWaiters
        }
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
