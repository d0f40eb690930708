/// How much a person-facing reporter shows: `-q`, the default, or `-v`.
public enum Verbosity: Int, Comparable, Sendable, CaseIterable {
    /// Problems (failures, unreachable hosts, held locks, interrupts) and the summary only.
    case quiet
    /// Progress a person follows: steps and tasks as they finish, switches, the summary.
    case normal
    /// Everything, including each step as it starts, connections, probes and locks.
    case verbose

    public static func < (lhs: Verbosity, rhs: Verbosity) -> Bool { lhs.rawValue < rhs.rawValue }
}
