import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension KnownHosts {
    /// How long `append` waits for another process's lock on the file before giving up.
    static let appendLockWait: Duration = .seconds(5)

    /// Records a host key as `accept-new` does: appends `entryLine`, or `hashedEntryLine` when
    /// `hashed` (ssh_config's `HashKnownHosts`) or when the file is hashed already (it has
    /// `|1|` entries and no plain-text ones: a plain line would give away the names the hashing
    /// hides). Creates the directory (0700) and the file (0600) when missing.
    ///
    /// The file is locked (`flock`, as two deployer runs started together both find the host
    /// unknown) and read again under the lock: a key another run recorded meanwhile is not
    /// written twice.
    public static func append(host: String, port: Int, keyType: String, key: [UInt8], to file: String, hashed: Bool = false) throws(KnownHostsError) {
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw KnownHostsError(file: file, message: "cannot create directory \(directory) (\(error.localizedDescription))")
            }
        }
        let fd = open(file, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw KnownHostsError(file: file, message: "cannot open for appending (\(String(cString: strerror(errno)))); check its permissions")
        }
        defer { close(fd) }
        try lockExclusively(fd, file: file)
        // Just opened: the read starts at the file's beginning (O_APPEND moves only writes to its end).
        guard let existing = FileContents.bytes(readingFrom: fd) else {
            throw KnownHostsError(file: file, message: "cannot read the file (\(String(cString: strerror(errno)))); check its permissions")
        }
        let known = KnownHosts(text: String(decoding: existing, as: UTF8.self), file: file)
        if known.check(host: host, port: port, keyType: keyType, key: key) == .match { return }
        let line = hashed || known.isHashed
            ? hashedEntryLine(host: host, port: port, keyType: keyType, key: key)
            : entryLine(host: host, port: port, keyType: keyType, key: key)
        let needsNewline = existing.last.map { $0 != UInt8(ascii: "\n") } ?? false
        let bytes = Array(((needsNewline ? "\n" : "") + line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw KnownHostsError(file: file, message: "cannot append the host key (\(String(cString: strerror(errno))))")
        }
    }

    /// Whether every entry hides its host name (`|1|salt|hash`), and there is at least one.
    var isHashed: Bool {
        !entries.isEmpty && entries.allSatisfy { $0.hashed != nil }
    }

    /// `flock(LOCK_EX)`, retried without blocking for up to `appendLockWait` (a lock is held for
    /// one short write; a holder that keeps it longer is reported rather than waited on forever).
    private static func lockExclusively(_ fd: Int32, file: String) throws(KnownHostsError) {
        let giveUp = ContinuousClock.now + appendLockWait
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < giveUp else {
                throw KnownHostsError(file: file, message: "cannot lock the file to record a host key (\(String(cString: strerror(errno)))); another process holds it")
            }
            usleep(10_000)
        }
    }
}
