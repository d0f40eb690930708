import DeployerModel

/// A host script that ran to completion: its markers and how it ended.
struct ScriptRun: Sendable {
    var markers: [ScriptMarker]
    var result: CommandResult
    /// The script's commands by task name (secrets masked), for failure reports.
    var commands: [String: String] = [:]

    /// The failure the script reported (a `failed` marker) or its non-zero exit, nil on success.
    func failure(host: String, step: DeployStep, masking mask: SecretMask) -> HostFailure? {
        let tail = result.stderr.split(separator: "\n", omittingEmptySubsequences: true).suffix(20)
            .map { mask.apply(String($0)) }
        for marker in markers {
            if case let .failed(what, status) = marker {
                let isTask = markers.contains { if case let .taskStarted(_, task) = $0 { task == what } else { false } }
                let command = commands[what] ?? commands.first { what.hasPrefix($0.key + " ") }?.value
                return HostFailure(host: host, step: step, task: isTask ? what : nil, exitStatus: status,
                                   message: isTask ? "" : what, stderrTail: Array(tail), command: command)
            }
        }
        guard result.succeeded else {
            let message = result.exitSignal.map { "killed by signal \($0)" } ?? ""
            return HostFailure(host: host, step: step, exitStatus: result.exitSignal == nil ? result.exitStatus : nil,
                               message: message, stderrTail: Array(tail))
        }
        return nil
    }
}
