/// At most `limit` SSH connections being set up at once (TCP connect, handshake, host key
/// check, authentication) among every connection that shares the throttle; the others wait
/// their turn, first come first served.
///
/// sshd refuses a burst of unauthenticated connections (`MaxStartups`, by default 10:30:100:
/// from 10 it drops 30 % of new ones, from 100 all of them), and so do firewalls and
/// connection-tracking tables; a thousand hosts behind one bastion, or a push with a large
/// `--parallel`, would otherwise open their connections in one storm. A connection's
/// `ConnectTimeout` starts when its turn comes, not when it began to wait, so no host fails
/// because others were connecting first.
public actor HandshakeThrottle {
    /// Below a stock sshd's `MaxStartups` 10:30:100, which drops new connections from 10 starting
    /// ones: sshd counts a connection as starting until its post-authentication child runs, a
    /// moment after the client saw it authenticated, so a throttle at sshd's limit still gets
    /// drops (40 connections against `MaxStartups 3:100:3`: 16 dropped at 3, a few at 2 under
    /// load, none at 1); the retry in `SSHSession.connect` takes care of those.
    public static let defaultLimit = 8

    /// Connections set up at once, at most.
    public nonisolated let limit: Int
    private var inFlight = 0
    private var waiting: [(id: UInt64, turn: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0
    /// The most connections that were ever being set up at once through this throttle.
    public private(set) var peakInFlight = 0

    /// `limit` below 1 counts as 1.
    public init(limit: Int = HandshakeThrottle.defaultLimit) { self.limit = max(1, limit) }

    /// Runs `setUp` once fewer than `limit` others are running; throws `CancellationError` when
    /// the task is cancelled while it waits.
    public func admit<T: Sendable>(_ setUp: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await setUp()
    }

    private func acquire() async throws {
        if inFlight < limit {
            take()
            return
        }
        let id = nextID
        nextID += 1
        let admitted = await withTaskCancellationHandler {
            await withCheckedContinuation { turn in
                if Task.isCancelled { turn.resume(returning: false) } else { waiting.append((id, turn)) }
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
        // A turn handed over by `release` is already counted in `inFlight`.
        guard admitted else { throw CancellationError() }
    }

    private func take() {
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
    }

    /// Passes the freed place to the longest waiter, if any.
    private func release() {
        inFlight -= 1
        guard !waiting.isEmpty else { return }
        take()
        waiting.removeFirst().turn.resume(returning: true)
    }

    /// A cancelled waiter leaves the queue without taking a place.
    private func withdraw(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).turn.resume(returning: false)
    }
}
