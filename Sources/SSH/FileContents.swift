#if canImport(Glibc)
import Glibc
#endif

/// Files the user names (ssh_config, its `Include`s, known_hosts) read as `ssh` reads them.
enum FileContents {
    /// The whole content of `path` read with plain `read(2)` until end of file, or nil when it
    /// cannot be opened or read. Unlike `FileManager.contents(atPath:)`, a character device such
    /// as `/dev/null` (`ssh -F /dev/null`, a common `UserKnownHostsFile`) reads as empty, and a pipe
    /// (`<(…)`) as what it carries.
    static func bytes(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return bytes(readingFrom: fd)
    }

    /// What `fd` holds from its current offset to end of file, read with `read(2)`; nil on a read error.
    static func bytes(readingFrom fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }
}
