import Foundation

/// The buffers commands' output is read into, shared by every session: one is held only while a
/// session reads (never across a suspension), so a hundred sessions need as many as read at the
/// same moment (about one per core), not one each (32 KiB per host).
final class ReadBufferPool: @unchecked Sendable {
    // @unchecked Sendable: `idle` is only touched with `lock` held.
    static let shared = ReadBufferPool(bufferSize: SSHSession.readBufferSize)

    let bufferSize: Int
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawBufferPointer] = []

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    /// Runs `body` with a buffer of `bufferSize` bytes to itself, given back to the pool afterwards.
    func withBuffer<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        lock.lock()
        let buffer = idle.popLast() ?? UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        lock.unlock()
        defer {
            lock.lock()
            idle.append(buffer)
            lock.unlock()
        }
        return try body(buffer)
    }
}
