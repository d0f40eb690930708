import Foundation
import Synchronization

extension SSHLoopThread {
    /// How many loop threads drive all sessions: one per core, at most four.
    ///
    /// libssh2's work between two waits is short (a packet's crypto, a copy), so more threads than
    /// cores only adds stacks and malloc arenas; four keep a slow key exchange on one from holding
    /// up every other session of a large machine.
    static let poolSize = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4)

    /// The pool, created once; each thread starts with its first job.
    private static let pool: [SSHLoopThread] = (0..<poolSize).map { SSHLoopThread(name: "ssh-loop-\($0)") }
    private static let nextInPool = Atomic<Int>(0)

    /// The thread a new session is pinned to: the pool's threads in turn.
    static func next() -> SSHLoopThread {
        let turn = nextInPool.wrappingAdd(1, ordering: .relaxed).oldValue
        return pool[turn % pool.count]
    }
}
