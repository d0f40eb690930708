/// How one key fared in public-key authentication.
enum AuthOutcome: CustomStringConvertible {
    case accepted
    /// Not accepted, and why, in words for the list of what was tried.
    case refused(String)
    /// The server hung up meanwhile (MaxAuthTries).
    case disconnected

    /// The outcome of a libssh2 userauth result; nil is a hang-up (as `SSHSession.attempt` reports it).
    init(_ rc: Int32?) {
        switch rc {
        case nil: self = .disconnected
        case 0: self = .accepted
        case let rc?: self = .refused(SSHSession.describeAuthFailure(rc))
        }
    }

    var description: String {
        switch self {
        case .accepted: "accepted"
        case .refused(let why): why
        case .disconnected: "the server closed the connection"
        }
    }
}
