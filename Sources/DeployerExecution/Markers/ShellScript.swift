import DeployerModel
import DeployerPlanning

/// A POSIX `sh` script sent to a host as one command's standard input, so a
/// whole step costs one round trip, and values never appear in `ps` output.
///
/// Values enter only through `quoted`/`words` (`ShellQuote`); the script
/// reports progress as `::deployer KIND ARGS…` lines on standard output,
/// read back by `ScriptOutputParser`.
public struct ShellScript: Hashable, Sendable {
    public private(set) var lines: [String]
    /// The command of each task in the script, by task name, as sent: failure reports and `-v` show it.
    public private(set) var commands: [String: String] = [:]
    /// How a `switched` marker of this script is reported, as it arrives; nil for scripts that do not switch.
    public var switchKind: SwitchKind?

    /// A script that stops on unset variables, knows `deploy_to`, and has the functions of
    /// `Scripts/preamble.sh`: `report KIND ARGS…`, `fail WHAT STATUS [LOG]` (marker, log tail on stderr,
    /// a note when deploy_to's filesystem is full, exit), the log helpers and the state readers.
    public init(deployTo: String) {
        lines = ["set -u"] + HostScriptTemplate.render(HostScriptTemplate.preamble, values: [
            "deploy_to": deployTo, "lock_ttl_limit": String(LockState.maximumTTLSeconds),
        ])
        preambleLength = lines.count
    }

    /// Appends the template `template` (`HostScriptTemplate`), after the assignments of `values`
    /// (quoted) and `words` (each already one shell word).
    mutating func append(template: String, values: KeyValuePairs<String, String> = [:],
                         words: KeyValuePairs<String, String> = [:]) {
        lines.append(contentsOf: HostScriptTemplate.render(template, values: values, words: words))
    }

    /// Appends `template` as `append(template:values:)` does, unless this script has it already: a
    /// template of functions (`Scripts/tasks.sh`) is sent once, before the first part that calls them.
    mutating func appendOnce(template: String, values: KeyValuePairs<String, String> = [:]) {
        guard appendedOnce.insert(template).inserted else { return }
        append(template: template, values: values)
    }

    /// The templates `appendOnce` appended.
    private var appendedOnce: Set<String> = []

    public mutating func append(_ line: String) { lines.append(line) }

    public mutating func append(contentsOf other: [String]) { lines.append(contentsOf: other) }

    /// Notes that the script runs `command` as task `task`.
    public mutating func record(task: String, command: String) { commands[task] = command }

    /// A marker line with a fixed kind and quoted arguments.
    public mutating func mark(_ kind: String, _ arguments: String...) {
        lines.append(ShellQuote.join(["report", kind] + arguments))
    }

    /// Exports `variables` (secrets) for everything the script runs, right after the preamble.
    public mutating func export(_ variables: [String: String]) {
        var exports = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(ShellQuote.quote($0.value)); export \($0.key)" }
        if !variables.isEmpty {
            // The names `masklog` masks the values of.
            exports.append("DEPLOYER_SECRETS=\(ShellQuote.quote(variables.keys.sorted().joined(separator: " "))); export DEPLOYER_SECRETS")
        }
        lines.insert(contentsOf: exports, at: min(preambleLength, lines.count))
    }

    /// Runs the recipe's commands with `runner` (`RemoteShell.commandRunner`) instead of `sh -c`.
    public mutating func runCommands(with runner: String) {
        lines.insert("command_runner=" + ShellQuote.quote(runner), at: min(preambleLength, lines.count))
    }

    /// How a script line starts one of the recipe's commands (followed by the command as one quoted word):
    /// with the runner set by `runCommands(with:)`, else `sh -c`.
    public static let commandShell = "${command_runner:-sh -c}"

    /// How many lines the preamble has: exports and the command runner go right after it.
    private var preambleLength: Int

    public var text: String { lines.joined(separator: "\n") + "\n" }
}
