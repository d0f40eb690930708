#if canImport(Glibc)
import Glibc
#endif

/// A local file read `SSHSession.uploadChunkSize` bytes at a time into one buffer, for a
/// command's standard input. Each chunk is valid until the next call.
///
/// Not Sendable: confined to its session's actor, like the command it feeds.
final class FileChunkReader {
    let path: String
    let fd: Int32
    private let host: String
    private var buffer = [UInt8](repeating: 0, count: SSHSession.uploadChunkSize)

    init(path: String, host: String) throws(SSHError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SSHError(.local, host: host, "cannot read \(path): \(TCPSocket.describe(errno))") }
        self.path = path
        self.host = host
    }

    deinit { Glibc.close(fd) }

    /// The next chunk, nil at the end of the file.
    func next() throws(SSHError) -> ArraySlice<UInt8>? {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw SSHError(.local, host: host, "cannot read \(path): \(TCPSocket.describe(errno))") }
        return count == 0 ? nil : buffer[0..<count]
    }
}
