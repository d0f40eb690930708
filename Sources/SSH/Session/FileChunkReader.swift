#if canImport(Glibc)
import Glibc
#endif

/// A local file read `SSHSession.uploadChunkSize` bytes at a time, for a command's standard input.
///
/// Each chunk has storage of its own, freed once it is sent: no buffer is kept between chunks, so
/// a session waiting for the server to take more input holds none (a chunk per host in a push).
///
/// Not Sendable: confined to its session's actor, like the command it feeds.
final class FileChunkReader {
    let path: String
    let fd: Int32
    private let host: String

    init(path: String, host: String) throws(SSHError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SSHError(.local, host: host, "cannot read \(path): \(TCPSocket.describe(errno))") }
        self.path = path
        self.host = host
    }

    deinit { Glibc.close(fd) }

    /// The next chunk, nil at the end of the file.
    func next() throws(SSHError) -> ArraySlice<UInt8>? {
        var error: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: SSHSession.uploadChunkSize) { buffer, count in
            let read = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if read < 0 { error = errno }
            count = max(0, read)
        }
        guard error == 0 else { throw SSHError(.local, host: host, "cannot read \(path): \(TCPSocket.describe(error))") }
        return chunk.isEmpty ? nil : chunk[...]
    }

    /// Whether `next` would return nil now: a regular file read up to its current size. Unknown
    /// (false) for anything else, such as a pipe.
    var isAtEnd: Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return lseek(fd, 0, SEEK_CUR) >= info.st_size
    }
}
