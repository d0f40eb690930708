import Checksums
import Foundation
import SSH
import Synchronization

/// Writes a fetched artifact to a file as its chunks arrive, hashing them on the way; bytes past
/// `limit` are neither written nor hashed (they are counted: a digest mismatch then says so).
final class FetchSink: Sendable {
    private struct Written: ~Copyable {
        var digest = SHA256()
        var bytes = 0
    }

    private let handle: FileHandle
    private let limit: Int
    private let written = Mutex(Written())

    init(handle: FileHandle, limit: Int) { self.handle = handle; self.limit = limit }

    func write(_ chunk: [UInt8]) {
        written.withLock { written in
            let kept = chunk.prefix(max(0, limit - written.bytes))
            written.bytes += chunk.count
            guard !kept.isEmpty else { return }
            written.digest.update(Array(kept))
            handle.write(Data(kept))
        }
    }

    /// Closes the file; the SHA-256 (hex) of what was written, and the size of what arrived.
    func finish() -> (digest: String, bytes: Int) {
        written.withLock { written in
            try? handle.close()
            return (SHA256.hex(written.digest.finalize()), written.bytes)
        }
    }
}
