/// How a run's last step on each host went for its deploy lock: the hosts
/// where it released the lock, and the failures of the hosts where the lock
/// may remain (a host gone, a read-only or full disk, no permission).
struct LockRelease: Sendable {
    var released: Set<String> = []
    /// In fleet order.
    var failures: [HostFailure] = []
    /// What else the last step could not do that the summary must say (maintenance mode left on), or "".
    var unfinished = ""

    /// The summary's note on locks left behind: the hosts, what to do, and why each one.
    var note: String {
        guard !failures.isEmpty else { return unfinished }
        return unfinished + "\nthe lock could not be released on " + failures.map(\.host).joined(separator: ", ")
            + "; once the host is reachable and writable again, run `deployer unlock`\n"
            + Executor.describe(failures)
    }
}
