/// How much an event matters to a person watching a run; reporters show it
/// or not by their `Verbosity`.
enum EventLevel: Sendable {
    /// Something went wrong or needs attention: shown even with `-q`.
    case problem
    /// A step of the run finished: shown by default.
    case progress
    /// Fine-grained detail (a step started, a connection, a probe, a lock): shown with `-v`.
    case detail

    func isShown(at verbosity: Verbosity) -> Bool {
        switch self {
        case .problem: return true
        case .progress: return verbosity >= .normal
        case .detail: return verbosity >= .verbose
        }
    }
}
