import DeployerModel
import DeployerPlanning

/// One `::deployer …` line a host script printed: its progress and findings.
public enum ScriptMarker: Hashable, Sendable {
    case current(ReleaseID)
    case release(ReleaseID, ReleaseOnHost.State)
    case marker(ReleaseID, json: String)
    /// The release that was current when this one last became current.
    case previous(ReleaseID, ReleaseID)
    /// A rollback switched away from this release.
    case rolledBack(ReleaseID)
    case lockAge(Int)
    case lockInfo(json: String)
    case artifactPresent(digest: String)
    case envPresent(directory: String)
    /// The release `.deployer/finished` names (see `HostFacts.finished`).
    case finished(ReleaseID)
    /// A line of `.deployer/irreversible.jsonl` (see `IrreversibleRun`).
    case irreversible(json: String)
    /// The line of `.deployer/maintenance` (see `MaintenanceState`): maintenance mode is on.
    case maintenance(json: String)
    case lock(LockOutcome)
    case brokeLock(json: String)
    case heartbeat(ok: Bool)
    case taskStarted(phase: Phase, task: String)
    case taskFinished(phase: Phase, task: String, exitStatus: Int)
    case taskSkipped(phase: Phase, task: String, reason: String)
    case env(name: String, directory: String, reused: Bool)
    case failed(what: String, exitStatus: Int)
    case switched(from: ReleaseID?, to: ReleaseID)
    /// `current` was removed: the host has no release (a failed first deploy switched back).
    case unswitched(from: ReleaseID?)
    /// The artifact sent with a prepare script arrived intact and is in the store.
    case uploaded
    case prepared(ReleaseID)
    case markedFailed(ReleaseID)
    case pruned(ReleaseID)
    /// An env directory (`NAME-HASH`) deleted: no kept release links it, or its build failed.
    case prunedEnv(String)
    /// A stored artifact (by digest) deleted: no kept release was extracted from it.
    case prunedArtifact(String)
    case warning(String)
    case hookStarted(RolloutHook)
    case hookFinished(RolloutHook, exitStatus: Int)
    /// A line of a failed health try's output.
    case healthOutput(attempt: Int, line: String)
    case healthChecked(attempt: Int, attempts: Int, ok: Bool)
    /// A line of the log of a task run on demand (`deployer task`): its standard output and error, in order.
    case taskOutput(String)
    /// A line of a task's `check` output (reported when it found work pending).
    case checkOutput(task: String, line: String)
    /// A task's `check` answered: 0 nothing pending, 1 work pending.
    case checked(phase: Phase, task: String, exitStatus: Int)

    /// What the lock step found.
    public enum LockOutcome: String, Hashable, Sendable {
        case acquired, held, broken, released
        /// Not taken: the host already runs what the push would make (see `HostScripts.lock`).
        case skipped
    }

    static let prefix = "::deployer "

    /// Parses one line; nil for lines that are not markers or not understood.
    public init?(line: Substring) {
        guard line.hasPrefix(ScriptMarker.prefix) else { return nil }
        let body = line.dropFirst(ScriptMarker.prefix.count)
        let words = body.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard let kind = words.first else { return nil }
        let arguments = Array(words.dropFirst())
        let rest = arguments.joined(separator: " ")
        func release(_ text: String) -> ReleaseID? { ReleaseID.isValid(text) ? ReleaseID(rawValue: text) : nil }
        func restAfter(_ count: Int) -> String { arguments.dropFirst(count).joined(separator: " ") }
        switch kind {
        case "current":
            guard let id = release(rest) else { return nil }
            self = .current(id)
        case "release":
            guard arguments.count == 2, let id = release(arguments[0]),
                  let state = ReleaseOnHost.State(rawValue: arguments[1]) else { return nil }
            self = .release(id, state)
        case "marker":
            guard let first = arguments.first, let id = release(first) else { return nil }
            self = .marker(id, json: restAfter(1))
        case "previous":
            guard arguments.count == 2, let id = release(arguments[0]), let previous = release(arguments[1]) else { return nil }
            self = .previous(id, previous)
        case "rolled-back":
            guard let id = release(rest) else { return nil }
            self = .rolledBack(id)
        case "lock-age":
            guard let age = Int(rest) else { return nil }
            self = .lockAge(age)
        case "lock-info": self = .lockInfo(json: rest)
        case "artifact": self = .artifactPresent(digest: rest)
        case "env-present": self = .envPresent(directory: rest)
        case "finished":
            guard let id = release(rest) else { return nil }
            self = .finished(id)
        case "irreversible": self = .irreversible(json: rest)
        case "maintenance": self = .maintenance(json: rest)
        case "lock":
            guard let outcome = LockOutcome(rawValue: rest) else { return nil }
            self = .lock(outcome)
        case "broke": self = .brokeLock(json: rest)
        case "heartbeat": self = .heartbeat(ok: rest == "ok")
        case "task-start", "task-end", "task-skip":
            guard arguments.count >= 2, let phase = Phase(rawValue: arguments[0]) else { return nil }
            switch kind {
            case "task-start": self = .taskStarted(phase: phase, task: restAfter(1))
            case "task-end":
                guard arguments.count >= 3, let status = Int(arguments.last!) else { return nil }
                self = .taskFinished(phase: phase, task: arguments.dropFirst().dropLast().joined(separator: " "),
                                     exitStatus: status)
            default: self = .taskSkipped(phase: phase, task: arguments[1], reason: restAfter(2))
            }
        case "env":
            guard arguments.count >= 3 else { return nil }
            self = .env(name: arguments[0], directory: arguments.dropFirst().dropLast().joined(separator: " "),
                        reused: arguments.last == "reused")
        case "failed":
            guard arguments.count >= 2, let status = Int(arguments.last!) else { return nil }
            self = .failed(what: arguments.dropLast().joined(separator: " "), exitStatus: status)
        case "switched":
            guard arguments.count == 2, let to = release(arguments[1]) else { return nil }
            self = .switched(from: release(arguments[0]), to: to)
        case "unswitched":
            self = .unswitched(from: release(rest))
        case "uploaded": self = .uploaded
        case "prepared":
            guard let id = release(rest) else { return nil }
            self = .prepared(id)
        case "marked-failed":
            guard let id = release(rest) else { return nil }
            self = .markedFailed(id)
        case "pruned":
            guard let id = release(rest) else { return nil }
            self = .pruned(id)
        case "pruned-env": self = .prunedEnv(rest)
        case "pruned-artifact": self = .prunedArtifact(rest)
        case "warning": self = .warning(rest)
        case "hook-start":
            guard let hook = RolloutHook(rawValue: rest) else { return nil }
            self = .hookStarted(hook)
        case "hook-end":
            guard arguments.count == 2, let hook = RolloutHook(rawValue: arguments[0]), let status = Int(arguments[1])
            else { return nil }
            self = .hookFinished(hook, exitStatus: status)
        case "task-output": self = .taskOutput(rest)
        case "health-output":
            guard let first = arguments.first, let attempt = Int(first) else { return nil }
            self = .healthOutput(attempt: attempt, line: restAfter(1))
        case "health":
            guard arguments.count == 3, let attempt = Int(arguments[0]), let attempts = Int(arguments[1]),
                  ["ok", "failed"].contains(arguments[2]) else { return nil }
            self = .healthChecked(attempt: attempt, attempts: attempts, ok: arguments[2] == "ok")
        case "check-output":
            guard let task = arguments.first else { return nil }
            self = .checkOutput(task: task, line: restAfter(1))
        case "check":
            guard arguments.count == 3, let phase = Phase(rawValue: arguments[0]), let status = Int(arguments[2]) else { return nil }
            self = .checked(phase: phase, task: arguments[1], exitStatus: status)
        default: return nil
        }
    }
}
