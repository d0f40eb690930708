import Checksums
import Foundation
import SSH

/// Writes a fetched artifact to a file as its chunks arrive, hashing them on the way; bytes past
/// `limit` are neither written nor hashed (they are counted: a digest mismatch then says so).
final class FetchSink: @unchecked Sendable {
    private let handle: FileHandle
    private let limit: Int
    private let lock = NSLock()
    private var digest = SHA256()
    private var bytes = 0

    init(handle: FileHandle, limit: Int) { self.handle = handle; self.limit = limit }

    func write(_ chunk: [UInt8]) {
        lock.withLock {
            let kept = chunk.prefix(max(0, limit - bytes))
            bytes += chunk.count
            guard !kept.isEmpty else { return }
            digest.update(Array(kept))
            handle.write(Data(kept))
        }
    }

    /// Closes the file; the SHA-256 (hex) of what was written, and the size of what arrived.
    func finish() -> (digest: String, bytes: Int) {
        lock.withLock {
            try? handle.close()
            return (SHA256.hex(digest.finalize()), bytes)
        }
    }
}
