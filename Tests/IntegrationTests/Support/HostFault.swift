import Testing

/// A fault that hits one host (docs/faults.md, the matrix's columns).
enum HostFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The host's sshd and every session below it are SIGKILLed.
    case sshdKilled = "sshd killed"
    /// The host sits in a network namespace whose link goes down: packets vanish, nothing is reset.
    case networkCut = "network cut"
    /// The host's sessions are killed mid-upload (its sshd keeps listening).
    case connectionDropped = "connection dropped"
    /// `deploy_to` is a small tmpfs, filled up (blocks and inodes).
    case diskFull = "disk full"
    /// `deploy_to` is remounted read-only.
    case readOnly = "read-only fs"
    /// `deploy_to` is chowned to root: the deploy user may not write there.
    case permissionDenied = "permission denied"
    /// The phase's command hangs past its timeout.
    case taskTimeout = "task timeout"

    var testDescription: String { rawValue }

    /// Whether this fault can happen at `phase` (a connection is dropped mid-upload only; a task
    /// hangs only where one runs with a timeout; at connect, nothing is written yet).
    func applies(at phase: FaultPhase) -> Bool {
        switch self {
        case .sshdKilled, .networkCut: return true
        case .connectionDropped: return phase == .upload
        case .diskFull, .readOnly, .permissionDenied: return phase != .connect
        case .taskTimeout: return phase.runsATimedCommand
        }
    }

    /// Whether deployer writes to the host after this fault is injected at `phase`, so that the run
    /// must fail there. A full disk does not matter once the last step with new files is behind:
    /// after before_switch and after_rollback tasks only history is appended (in a page it has),
    /// and a prune only deletes.
    func bites(at phase: FaultPhase) -> Bool {
        self != .diskFull || ![.beforeSwitch, .finish, .rollback].contains(phase)
    }

    /// What the run's message must say about the host for this fault (any one of them).
    var symptoms: [String] {
        switch self {
        case .sshdKilled: return ["connection", "Connection"]
        case .networkCut: return ["went silent", "no TCP connection", "sent no SSH banner"]
        case .connectionDropped: return ["connection", "Connection"]
        case .diskFull: return ["No space left on device"]
        case .readOnly: return ["Read-only file system"]
        case .permissionDenied: return ["Permission denied"]
        case .taskTimeout: return ["exit status 124", "timed out"]
        }
    }

    /// The fault breaks the connection itself (rather than what a command does on the host): the faults
    /// the matrix also runs over the OpenSSH transport, whose difference from libssh2 is the connection.
    var breaksTheConnection: Bool { self == .sshdKilled || self == .networkCut || self == .connectionDropped }

    /// The host cannot be reached while the fault lasts.
    var cutsTheHostOff: Bool { self == .sshdKilled || self == .networkCut }
}
