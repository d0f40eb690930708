import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The controller's artifact cache: one directory of `NAME.tar.gz` files (source archives
/// `git-KEY`, `dir-DIGEST`, built artifacts `build-KEY`, artifacts fetched by promote), each
/// with an optional `NAME.inputs` record beside it. Bounded by `limits`: after every store the
/// least recently used entries (by modification time, which every use refreshes) are deleted
/// until both the size and the count fit — except entries used within `inUseSeconds`, which a
/// push in another deployer process may be uploading.
///
/// Two deployer processes may share the cache: files arrive by `rename` (never half-written
/// under their name), and lookups and pruning hold an exclusive `flock` on `.lock`, so one
/// process never deletes an entry another has just found.
public struct ArtifactCache: Sendable {
    /// How much the cache keeps.
    public struct Limits: Hashable, Sendable {
        public var maxBytes: Int
        public var maxEntries: Int
        /// 2 GiB and 20 entries.
        public static let standard = Limits(maxBytes: 2 << 30, maxEntries: 20)
        public init(maxBytes: Int, maxEntries: Int) { self.maxBytes = maxBytes; self.maxEntries = maxEntries }
    }

    public var directory: String
    public var limits: Limits
    /// Entries used this recently are never pruned (another process may be uploading them).
    public var inUseSeconds: Double

    public init(directory: String, limits: Limits = .standard, inUseSeconds: Double = 15 * 60) {
        self.directory = directory; self.limits = limits; self.inUseSeconds = inUseSeconds
    }

    /// Creates the directory when missing.
    public func prepare() throws(ArtifactError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ArtifactError("cannot create the artifact cache \(directory): \(error.localizedDescription)")
        }
    }

    /// The path of entry `name` (`build-KEY.tar.gz`) when it is there and its record says `record`
    /// (a missing or different record is never trusted), marked as just used; else nil.
    public func lookup(_ name: String, record: String?) async -> String? {
        let path = directory + "/" + name
        return await locked {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            if let record, FileManager.default.contents(atPath: Self.recordPath(of: path)) != Data(record.utf8) {
                return nil
            }
            Self.touch(path)
            return path
        }
    }

    /// Moves the finished file `partial` into the cache as `name` (with `record` beside it, written
    /// first so a reader never sees the file without it), then prunes. Returns the entry's path.
    public func store(_ partial: String, as name: String, record: String?) async throws(ArtifactError) -> String {
        let path = directory + "/" + name
        if let record {
            do {
                try Data(record.utf8).write(to: URL(fileURLWithPath: Self.recordPath(of: path)), options: .atomic)
            } catch {
                throw ArtifactError("cannot write \(Self.recordPath(of: path)): \(error.localizedDescription)")
            }
        }
        guard rename(partial, path) == 0 else {
            throw ArtifactError("cannot move \(partial) to \(path): \(String(cString: strerror(errno)))")
        }
        Self.touch(path)
        await prune(keeping: path)
        return path
    }

    /// A fresh directory for a build or a partial file, inside the cache so a finished file moves in by `rename`.
    public func scratchPath(_ kind: String) -> String {
        directory + "/" + Self.scratchPrefix + kind + "-" + UUID().uuidString
    }

    /// Deletes the least recently used entries until the cache fits its limits, never `keeping` nor
    /// an entry used within `inUseSeconds`; and leftovers of builds that ended a day or more ago.
    public func prune(keeping: String? = nil) async {
        await locked {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            let now = Date().timeIntervalSince1970
            var entries: [(path: String, bytes: Int, used: Double)] = []
            for name in names {
                let path = directory + "/" + name
                guard let (bytes, used) = Self.sizeAndTime(path) else { continue }
                if name.hasPrefix(Self.scratchPrefix) || name.contains(".partial-") {
                    if now - used > 24 * 3600 { try? FileManager.default.removeItem(atPath: path) }
                } else if name.hasSuffix(".tar.gz") {
                    entries.append((path, bytes, used))
                }
            }
            entries.sort { $0.used > $1.used }
            var bytes = 0, count = 0
            for entry in entries {
                bytes += entry.bytes; count += 1
                let over = bytes > limits.maxBytes || count > limits.maxEntries
                guard over, entry.path != keeping, now - entry.used >= inUseSeconds else { continue }
                try? FileManager.default.removeItem(atPath: entry.path)
                try? FileManager.default.removeItem(atPath: Self.recordPath(of: entry.path))
                bytes -= entry.bytes; count -= 1
            }
        }
    }

    static let scratchPrefix = "tmp-"

    static func recordPath(of path: String) -> String {
        String(path.dropLast(".tar.gz".count)) + ".inputs"
    }

    private static func touch(_ path: String) { _ = utimes(path, nil) }

    private static func sizeAndTime(_ path: String) -> (Int, Double)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }

    /// `body` with the cache's `flock` held exclusively; waits for another process's turn without
    /// blocking a thread of the cooperative pool (non-blocking tries, 20 ms apart).
    private func locked<T>(_ body: () -> T) async -> T {
        let fd = open(directory + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { return body() }
            try? await Task.sleep(for: .milliseconds(20))
        }
        defer { flock(fd, LOCK_UN) }
        return body()
    }
}
