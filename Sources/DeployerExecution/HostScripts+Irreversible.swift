import DeployerModel
import Foundation

extension HostScripts {
    /// The line that records, as an `irreversible: true` task starts, that it ran for the release in `$release_dir`
    /// (`IrreversibleRun`, the host's clock): appended to `RemoteLayout.irreversibleFile` before the command
    /// runs, so a controller that dies during the task leaves the record behind. A record that cannot be
    /// written stops the task from running: the guard would not know of it.
    static func irreversibleStart(_ task: ScriptTask) -> String {
        let name = ShellQuote.quote(Executor.jsonLine(task.name))
        return "printf '{\"at\":\"%s\",\"release\":\"%s\",\"task\":%s}\\n' \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" \"${release_dir##*/}\" \(name) "
            + ">>\"$deploy_to/\(RemoteLayout.irreversibleFile)\" || fail \(ShellQuote.quote("record irreversible " + task.name)) 1"
    }
}
