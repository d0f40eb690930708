/// Everything the executor does that a person or a program may want to see,
/// in order, as values: reporters (plain, terminal, JSON lines) are views of
/// this stream and never talk to hosts themselves.
public enum DeployEvent: Hashable, Sendable, Codable {
    /// A push, rollback or another fleet command began.
    case runStarted(action: RunAction, environment: String, runID: String, hosts: [String])
    /// The artifact was built (or found in the controller's cache) and hashed.
    case artifactReady(revision: String, digest: String, bytes: Int)
    /// A build step began on the controller (`command` as run, secrets masked).
    case buildStepStarted(step: String, command: String)
    /// One line a build step printed (standard output and error, in order).
    case buildOutput(step: String, line: String)
    /// A build step ended; `exitStatus` 124 when it ran past its `timeout`.
    case buildStepFinished(step: String, seconds: Double, exitStatus: Int)
    /// The build steps' artifact for this revision and these steps was in the controller's cache: nothing was built.
    case buildReused(digest: String, steps: [String])
    /// The release id chosen for the whole fleet.
    case releaseChosen(release: ReleaseID, revision: String)
    case hostConnected(host: String, seconds: Double)
    case hostUnreachable(host: String, message: String)
    /// Something went wrong on a host that does not fail its step, but that a person should know
    /// (history not appended, a failed release not marked failed).
    case hostWarning(host: String, message: String)
    /// What a host runs now, as its probe found it (before this run changes anything).
    case probed(host: String, current: ReleaseID?)
    /// One round trip (or upload) to a host began.
    case stepStarted(host: String, step: DeployStep)
    case stepFinished(host: String, step: DeployStep, seconds: Double, outcome: StepOutcome)
    /// `command` is the task's command as sent to the host (rendered, secrets masked), for `-v` and failure reports.
    case taskStarted(host: String, task: String, phase: Phase, command: String? = nil)
    case taskFinished(host: String, task: String, phase: Phase, seconds: Double, exitStatus: Int)
    case taskSkipped(host: String, task: String, phase: Phase, reason: String)
    /// A task's `check` answered on `host` at the end of prepare: `pending` when it found work (exit 1),
    /// with the first lines of its output (masked); nothing pending (exit 0) skips the task.
    case taskChecked(host: String, task: String, phase: Phase, pending: Bool, output: [String])
    /// A dependency environment was linked into the release: built now, or reused by its key.
    case envReady(host: String, name: String, directory: String, reused: Bool)
    case lockAcquired(host: String)
    case lockRefused(host: String, holder: LockLease?, heartbeatAgeSeconds: Int?, stale: Bool)
    /// This run took over a stale lock (only with `--break-stale-lock`).
    case lockBroken(host: String, previousHolder: LockLease?)
    case lockReleased(host: String)
    /// `current` now points at `to` on `host`.
    case switched(host: String, from: ReleaseID?, to: ReleaseID, kind: SwitchKind)
    /// `host` deleted `name` (a release id, an env directory or an artifact digest) to stay within `keep_releases`.
    case pruned(host: String, kind: PrunedKind, name: String)
    /// A push of the revision and recipe already current everywhere: nothing changed.
    case alreadyCurrent(release: ReleaseID)
    /// A batch of a rolling switch began: `index` counts from 1 up to `count`;
    /// `kind` is `push` or `rollback` going forward, `revert` when switching hosts back.
    case batchStarted(index: Int, count: Int, hosts: [String], canary: Bool, kind: SwitchKind)
    /// A batch ended; `failed` are its hosts that failed (a hook, the switch, a task, the health check, or unreachable).
    case batchFinished(index: Int, count: Int, hosts: [String], failed: [String], kind: SwitchKind)
    /// A drain or undrain hook ran for `host`: on it, or `on` the controller or another host.
    case hookFinished(host: String, hook: RolloutHook, seconds: Double, exitStatus: Int, on: HookTarget = .switchedHost)
    /// One try of `host`'s health check (`attempt` of at most `attempts`); `output` is the last lines of a failed try.
    case healthChecked(host: String, attempt: Int, attempts: Int, ok: Bool, output: [String])
    /// One line a command printed (`deployer run`, `deployer task`), without its newline, as it arrives;
    /// a line longer than 64 KiB comes in pieces of at most that size. Bytes that are not UTF-8 are replaced.
    case commandOutput(host: String, stream: CommandStream, line: String)
    /// Ctrl-C or SIGTERM: no new step starts; the run winds down.
    case interruptRequested(signal: String)
    /// A problem with the recipe, the command line or a saved plan that stopped the run before any
    /// host was touched (printed compiler-style on standard error; an event for JSON and the audit log).
    case diagnostic(Diagnostic)
    /// A notification (`notify:`) was sent at `event`, or could not be: `hook` says which one (its kind
    /// and where it is written, never its URL), `message` why it failed (empty when `ok`).
    case notified(event: NotifyHook.Event, hook: String, ok: Bool, message: String)
    case summary(RunSummary)
}

/// What a run does to the fleet.
public enum RunAction: String, Hashable, Sendable, Codable {
    case push, rollback, status, releases, unlock, plan, run
    /// `deployer build ENV`: the artifact built on the controller (or found in its cache); no host is touched.
    case build
    /// `deployer shared ENV put`: a file put under `shared/` on every host.
    case sharedPut = "shared_put"
    /// `deployer maintenance ENV on|off|status`.
    case maintenance
    /// `deployer shared ENV list`: what each host has of the recipe's shared files and dirs.
    case sharedList = "shared_list"
    /// `deployer task ENV NAME`: one task of the recipe run against the release each host runs.
    case task
    /// `deployer switch ENV RELEASE`: every host switched to a release `push --prepare-only` prepared.
    case switchRelease = "switch"

    /// The run prints a result after its events (a table, or JSON objects): status, releases, shared list.
    public var printsResult: Bool { self == .status || self == .releases || self == .sharedList }
}

/// The remote steps of a run, each one round trip per host (upload aside).
public enum DeployStep: String, Hashable, Sendable, Codable, CaseIterable {
    case probe, lock, upload, prepare
    case beforeSwitch = "before_switch"
    case `switch`
    /// The after_fleet tasks, once every host of the push has switched and passed its health check.
    case afterFleet = "after_fleet"
    /// Switching back hosts that had switched when the fleet could not all switch.
    case revert
    case finish, unlock
    /// Moving a file received under `shared/` (`deployer shared ENV put`).
    case sharedPut = "shared_put"
    /// Turning maintenance mode on or off (`deployer maintenance`, `push --maintenance`).
    case maintenance
    /// The on_failure tasks of a failed push.
    case onFailure = "on_failure"
    /// The command of `deployer run` (or the task of `deployer task`), run once on each host.
    case command
    /// Reading what a host has of the recipe's shared files and dirs (`deployer shared ENV list`).
    case sharedList = "shared_list"
}

/// How a step ended on one host.
public enum StepOutcome: Hashable, Sendable, Codable {
    case succeeded
    /// `task` names the task that failed, when one did; `stderrTail` is its last lines.
    /// `command` is the failed task's command as sent (secrets masked), when a task failed.
    case failed(task: String?, exitStatus: Int?, message: String, stderrTail: [String], command: String? = nil)
    case skipped(reason: String)
}

/// Why `current` moved.
public enum SwitchKind: String, Hashable, Sendable, Codable {
    case push, rollback, revert
}
