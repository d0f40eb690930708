import DeployerModel
import Foundation

extension HostScripts {
    /// The line that records, as an `irreversible: true` task starts, that it ran for the release in `$R`
    /// (`IrreversibleRun`, the host's clock): appended to `RemoteLayout.irreversibleFile` before the command
    /// runs, so a controller that dies during the task leaves the record behind. A record that cannot be
    /// written stops the task from running: the guard would not know of it.
    static func irreversibleStart(_ task: ScriptTask) -> String {
        let name = ShellQuote.quote(Executor.jsonLine(task.name))
        return "printf '{\"at\":\"%s\",\"release\":\"%s\",\"task\":%s}\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"${R##*/}\" \(name) "
            + ">>\"$D/\(RemoteLayout.irreversibleFile)\" || fail \(ShellQuote.quote("record irreversible " + task.name)) 1"
    }

    /// Appends `runs` to the host's `RemoteLayout.irreversibleFile` (the finish step of a push, on every host:
    /// a `once` task's record is then kept by the whole fleet, not only by the host that ran it).
    static func appendIrreversibleRuns(_ runs: [IrreversibleRun], to script: inout ShellScript) {
        guard !runs.isEmpty else { return }
        let lines = runs.map { Executor.jsonLine($0) }.joined(separator: "\n")
        script.append("printf '%s\\n' \(ShellQuote.quote(lines)) >>\"$D/\(RemoteLayout.irreversibleFile)\" "
            + "|| m warning 'could not record the irreversible tasks of this run in \(RemoteLayout.irreversibleFile)'")
    }
}
