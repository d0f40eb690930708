import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension KnownHosts {
    /// `KnownHosts(files:)`, parsed once per process while the files stay as they are: a hundred
    /// sessions connecting at once share one copy instead of each reading and parsing the files
    /// (with 100 hosts in one known_hosts file, 100 × 100 entries: ~2 MB of a 100-host run's peak).
    /// A file counts as unchanged while its device, inode, size and modification time are; an
    /// `accept-new` append changes its size, so the next session reads the file again.
    static func shared(files: [String]) throws(KnownHostsError) -> KnownHosts {
        try KnownHostsCache.shared.hosts(files: files)
    }
}

/// The last parse of each list of known_hosts files, with what the files were like then.
private final class KnownHostsCache: Sendable {
    static let shared = KnownHostsCache()

    /// What `stat` says of one file; nil when it cannot be stat'ed (missing, so skipped).
    private struct Stamp: Equatable {
        let device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    private let parsed = Mutex<[[String]: (stamps: [Stamp?], hosts: KnownHosts)]>([:])

    func hosts(files: [String]) throws(KnownHostsError) -> KnownHosts {
        // Held while parsing: sessions starting together wait for the first parse instead of each making one.
        try parsed.withLock { parsed throws(KnownHostsError) -> KnownHosts in
            let stamps = files.map(Self.stamp)
            if let last = parsed[files], last.stamps == stamps { return last.hosts }
            let hosts = try KnownHosts(files: files)
            // Stamped before reading: a change while reading makes the next call read again.
            parsed[files] = (stamps, hosts)
            return hosts
        }
    }

    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                     seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec))
    }
}
