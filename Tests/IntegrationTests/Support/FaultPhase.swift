import Testing

/// Where in a run the fault matrix injects a fault (docs/faults.md, its rows).
///
/// Each phase but `connect` has a hook on the host (`FaultHooks`): a recipe
/// task, the env build, the health check, or a wrapper around the command
/// deployer's own script runs at that point (`mkdir` of the lock, the artifact's
/// `head -c`, `tar`, the switch's `mv -T`, the prune's `rm -rf`). An armed hook
/// says it was reached and waits for the test to inject the fault.
enum FaultPhase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case connect
    case lock
    case upload
    case extract
    case envBuild = "env-build"
    case prepareTask = "prepare-task"
    case beforeSwitch = "before-switch"
    case `switch`
    case afterSwitch = "after-switch"
    case health
    case finish
    case rollback

    var testDescription: String { rawValue }

    /// Whether a task (or health check) with a timeout runs here, so a task can hang past it.
    var runsATimedCommand: Bool {
        [.prepareTask, .beforeSwitch, .afterSwitch, .health, .rollback].contains(self)
    }

    /// The run the fault hits: a rollback for `rollback`, a push otherwise.
    var command: String { self == .rollback ? "rollback" : "push" }
}
