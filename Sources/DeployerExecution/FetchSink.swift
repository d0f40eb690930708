import Checksums
import Foundation
import SSH

/// Writes a fetched artifact to a file as its chunks arrive, hashing them on the way.
final class FetchSink: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private var digest = SHA256()
    private var bytes = 0

    init(handle: FileHandle) { self.handle = handle }

    func write(_ chunk: [UInt8]) {
        lock.withLock {
            digest.update(chunk)
            bytes += chunk.count
            handle.write(Data(chunk))
        }
    }

    /// Closes the file; the SHA-256 (hex) and size of what was written.
    func finish() -> (digest: String, bytes: Int) {
        lock.withLock {
            try? handle.close()
            return (SHA256.hex(digest.finalize()), bytes)
        }
    }
}
