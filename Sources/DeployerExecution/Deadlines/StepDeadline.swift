import DeployerModel

/// How long the controller waits for one step's script on one host before it gives that host up
/// (docs/recipe-reference.md, "Deadlines").
///
/// The host stops each recipe command at its own `timeout` (timeout(1)); this is the controller's
/// limit on top of that, for what the host does not stop: a task that ignores TERM, a filesystem
/// that hangs, a host that keeps its connection alive but no longer gets on. A connection that goes
/// silent is noticed sooner, by keepalives (`ServerAliveInterval` × `ServerAliveCountMax`).
/// Every value is a pure function of the recipe, so the same push always gets the same deadlines.
public struct StepDeadline: Hashable, Sendable, CustomStringConvertible {
    /// The deadline, in seconds from the step's start.
    public var seconds: Double

    public init(seconds: Double) { self.seconds = seconds }

    /// A step's own commands (directories, links, markers, the lock): probe, lock, switch, unlock, shared files.
    public static let scriptSeconds: Double = 30
    /// The finish step, which also deletes pruned releases (trees of many files).
    public static let finishSeconds: Double = 120
    /// A recipe command without a `timeout` (task, env build, hook run on a host or the controller).
    public static let untimedCommandSeconds: Double = 1800
    /// Added to each command's `timeout`: the host's timeout(1) stops it and the script goes on.
    public static let commandGraceSeconds: Double = 5
    /// Per MiB of artifact a prepare step receives and extracts.
    public static let secondsPerArtifactMiB: Double = 2

    /// A step that runs no recipe command.
    public static func fixed(_ step: DeployStep) -> StepDeadline {
        StepDeadline(seconds: step == .finish ? finishSeconds : scriptSeconds)
    }

    /// A step running commands limited to `timeouts` (nil: no `timeout` in the recipe), one after another.
    public static func commands(_ timeouts: [Double?]) -> StepDeadline {
        StepDeadline(seconds: scriptSeconds + timeouts.reduce(0) { $0 + ($1.map { $0 + commandGraceSeconds } ?? untimedCommandSeconds) })
    }

    /// A prepare step: the artifact (`artifactBytes` streamed and extracted), env builds and prepare tasks.
    public static func prepare(artifactBytes: Int, envs: [HostScripts.EnvBuild], tasks: [ScriptTask]) -> StepDeadline {
        var deadline = commands(envs.map(\.timeoutSeconds) + tasks.map(\.timeoutSeconds))
        deadline.seconds += Double(artifactBytes) / Double(1 << 20) * secondsPerArtifactMiB
        return deadline
    }

    /// A host's part of a rolling switch: its hooks that run on it, its tasks, its health check.
    static func rollout(_ script: RolloutScript) -> StepDeadline {
        let hooks = [script.onHost(.drain), script.onHost(.undrain)].compactMap { $0 }
        var deadline = commands(hooks.map { _ in nil } + script.tasks.flatMap { $0.tasks.map(\.timeoutSeconds) })
        if let health = script.health {
            deadline.seconds += health.graceSeconds
                + Double(health.attempts) * (health.timeoutSeconds + health.intervalSeconds + commandGraceSeconds)
        }
        return deadline
    }

    /// "37 s", "30 min 5 s": for messages.
    public var description: String {
        let whole = Int(seconds.rounded(.up))
        return whole < 120 ? "\(whole) s" : "\(whole / 60) min" + (whole % 60 == 0 ? "" : " \(whole % 60) s")
    }
}
