import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileHandle {
    /// The next bytes available (at most `limit`), empty at end of file or on
    /// an error. A read interrupted by a signal (EINTR) is retried: Foundation's
    /// `availableData` and `readDataToEndOfFile()` on Linux end in a `try!`
    /// there, which crashed a test run while a sandbox was being torn down.
    public func readChunkRetryingInterrupts(limit: Int = 65_536) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, limit) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            if errno != EINTR { return [] }
        }
    }

    /// Everything up to end of file (see `readChunkRetryingInterrupts`).
    public func readToEndRetryingInterrupts() -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = readChunkRetryingInterrupts()
            if chunk.isEmpty { return all }
            all += chunk
        }
    }
}
