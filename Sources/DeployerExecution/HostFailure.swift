import DeployerModel

/// Why a step failed on one host, with what a person needs to act on it:
/// the host, the step and task, the exit status and the last lines of stderr.
public struct HostFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var step: DeployStep
    public var task: String?
    public var exitStatus: Int?
    public var message: String
    public var stderrTail: [String]
    /// The failed command as sent (secrets masked), when a task or hook failed.
    public var command: String?
    /// The host could not be reached or the connection broke (exit 4 rather than 1 when nothing changed).
    public var unreachable: Bool
    /// What the host's script reported before it failed (e.g. that `current` moved).
    var markers: [ScriptMarker] = []

    public init(host: String, step: DeployStep, task: String? = nil, exitStatus: Int? = nil, message: String,
                stderrTail: [String] = [], unreachable: Bool = false, command: String? = nil) {
        self.host = host; self.step = step; self.task = task; self.exitStatus = exitStatus; self.message = message
        self.stderrTail = stderrTail; self.unreachable = unreachable; self.command = command
    }

    public var description: String {
        var text = "\(host): \(step.rawValue)"
        if let task { text += " task '\(task)'" }
        text += " failed"
        if let exitStatus { text += " with exit status \(exitStatus)" }
        if !message.isEmpty { text += ": \(message)" }
        if let command { text += "\n    command: \(command)" }
        for line in stderrTail { text += "\n    \(line)" }
        return text
    }

    var outcome: StepOutcome {
        .failed(task: task, exitStatus: exitStatus, message: message, stderrTail: stderrTail, command: command)
    }
}
