import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The controller's own limit on open files: every host of a run keeps its SSH connection open
/// (a socket, and a socket pair's end per ProxyCommand or jump tunnel), so a large fleet needs more
/// than the usual soft limit of 1,024.
enum FileDescriptorLimit {
    /// Descriptors one host's connection holds, with room to spare (measured: see Benchmarks/README.md).
    static let perHost = 4
    /// Descriptors the controller uses besides connections (standard streams, logs, artifact, pipes).
    static let reserve = 64

    /// Raises the soft limit to the hard limit; returns the limit now in effect.
    @discardableResult
    static func raiseToHard() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_max) }
        }
        return UInt64(limit.rlim_cur)
    }

    /// Refuses a fleet of `hosts` hosts that would run out of file descriptors midway.
    static func check(hosts: Int) throws {
        let needed = UInt64(hosts * perHost + reserve)
        let available = raiseToHard()
        guard needed > available else { return }
        throw ValidationError("""
            \(hosts) hosts need about \(needed) open files on this controller (\(perHost) per host), but its \
            hard limit is \(available): raise it (ulimit -Hn as root, LimitNOFILE= in a systemd unit, nofile in \
            /etc/security/limits.conf) or deploy part of the fleet at a time with --hosts or --roles
            """)
    }
}
