import DeployerModel

/// One host's part in a run so far, folded from its events.
struct HostProgress: Sendable {
    /// Where the host stands; every state but `waiting` and `running` is final.
    enum State: Sendable, Equatable {
        case waiting
        case running
        case done
        /// `what`: the step, task and exit status, e.g. `prepare: task migrate, exit 3`.
        case failed(what: String)
        case unreachable
        case lockHeld
    }

    var state = State.waiting
    /// The step in flight and when it started (on the reporter's clock).
    var step: (name: DeployStep, since: Double)?
    /// The last step that finished, shown while the host waits for the next.
    var lastStep: DeployStep?
    /// The task in flight within the step.
    var task: String?
    /// The release `current` points at, as last probed or switched.
    var current: ReleaseID?
    /// How `current` last moved in this run.
    var lastSwitch: SwitchKind?
    /// When the host reached a final state.
    var finishedAt: Double?
    /// The failure headline and stderr tail, for the live view.
    var failureLines: [String] = []
    /// For `deployer task`: the task's outcome on this host (`ran restart`, `skipped restart: …`).
    var taskOutcome: String?

    var isFinished: Bool { state != .waiting && state != .running }

    /// One word or phrase for the summary table.
    var result: String {
        switch state {
        case let .failed(what): return "failed (\(what))"
        case .unreachable: return "unreachable"
        case .lockHeld: return "lock held by another run"
        case .waiting, .running, .done:
            switch lastSwitch {
            case .push?: return "switched"
            case .rollback?: return "rolled back"
            case .revert?: return "reverted"
            case nil: return taskOutcome ?? "unchanged"
            }
        }
    }
}
