/// How much of a command's standard input may be sent ahead of what the server has acknowledged
/// (given back by a window adjustment).
///
/// sshd keeps input its command has not read yet in a buffer that it enlarges by copying, one
/// packet at a time. With its whole 2 MiB window sent at once to a command that reads slowly (a
/// busy host), sshd spent twice the CPU time on a 2 MiB upload, and a push to 50 hosts on one
/// machine took 1.4 times as long as with 256 KiB in flight. A distant host needs more in flight
/// to keep its link busy: the limit is what 16 MiB/s fills in one round trip, at least 256 KiB
/// (one round trip more than the whole window for a 2 MiB upload at 50 ms).
///
/// The round trip is the quickest channel open of the session: the kernel's TCP figures only see
/// as far as a proxy or jump host, and they grow with the load of the machine as much.
enum InputPacing {
    /// The least unacknowledged input allowed.
    static let minimumLimit = 256 * 1024
    /// The link speed the limit keeps busy, in bytes per second.
    static let bytesPerSecond = 16 * 1024 * 1024

    /// The limit for a session whose quickest exchange took `roundTrip` nanoseconds; none before
    /// any exchange was timed.
    static func limit(roundTrip: UInt64?) -> Int {
        guard let roundTrip else { return .max }
        let fills = Int(min(roundTrip, 10_000_000_000) / 1000) * bytesPerSecond / 1_000_000
        return max(minimumLimit, fills)
    }
}
