import Synchronization

/// The buffers commands' output is read into, shared by every session: one is held only while a
/// session reads (never across a suspension), so a hundred sessions need as many as read at the
/// same moment (about one per core), not one each (32 KiB per host).
final class ReadBufferPool: Sendable {
    static let shared = ReadBufferPool(bufferSize: SSHSession.readBufferSize)

    let bufferSize: Int
    /// A buffer's memory, owned by the pool while idle and by one reader while lent: never two at once.
    private struct Buffer: @unchecked Sendable {
        let memory: UnsafeMutableRawBufferPointer
    }

    /// The buffers no session holds.
    private let idle = Mutex<[Buffer]>([])

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    /// Runs `body` with a buffer of `bufferSize` bytes to itself, given back to the pool afterwards.
    func withBuffer<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        let buffer = idle.withLock { $0.popLast() }
            ?? Buffer(memory: UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16))
        defer { idle.withLock { $0.append(buffer) } }
        return try body(buffer.memory)
    }
}
