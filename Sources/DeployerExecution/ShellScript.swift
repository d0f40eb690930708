import DeployerModel

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

    /// A script that stops on unset variables, knows `$D` (deploy_to), and can
    /// report (`m KIND ARGS…`) and fail (`fail WHAT STATUS [LOG]`: marker, log tail on stderr, a note
    /// when deploy_to's filesystem is full, exit).
    public init(deployTo: String) {
        lines = [
            "set -u",
            "D=" + ShellQuote.quote(deployTo),
            "m() { printf '::deployer %s\\n' \"$*\"; }",
            // A full disk loses the very log that would say so: when deploy_to has no block or inode left, say it.
            "fail() { m failed \"$1\" \"$2\"; if [ -n \"${3:-}\" ] && [ -f \"$3\" ]; then tail -n 20 \"$3\" >&2; fi; "
                + "{ df -P \"$D\"; df -Pi \"$D\"; } 2>/dev/null | awk 'NR % 2 == 0 && $4 == \"0\" "
                + "{ print \"No space left on device: \" $6 \" is full\"; exit }' >&2; "
                + "st=$2; [ \"$st\" -gt 0 ] 2>/dev/null || st=1; exit \"$st\"; }",
            // Logs of tasks, hooks and health checks may hold secrets: readable by the login user only.
            "newlog() { ( umask 077 && : >\"$1\" ) && chmod 600 \"$1\"; }",
            // Each secret's value in a log written as ****; values are read from the environment, never from arguments.
            "masklog() { [ -n \"${DEPLOYER_SECRETS:-}\" ] && [ -f \"$1\" ] || return 0; "
                + "awk 'BEGIN { n = split(ENVIRON[\"DEPLOYER_SECRETS\"], k, \" \") } "
                + "{ for (i = 1; i <= n; i++) { v = ENVIRON[k[i]]; if (v == \"\") continue; o = \"\"; "
                + "while ((p = index($0, v)) > 0) { o = o substr($0, 1, p - 1) \"****\"; $0 = substr($0, p + length(v)) } "
                + "$0 = o $0 } print }' \"$1\" >\"$1.masked\" && cat \"$1.masked\" >\"$1\"; rm -f \"$1.masked\"; }",
        ]
    }

    public mutating func append(_ line: String) { lines.append(line) }

    public mutating func append(contentsOf other: [String]) { lines.append(contentsOf: other) }

    /// Notes that the script runs `command` as task `task`.
    public mutating func record(task: String, command: String) { commands[task] = command }

    /// A marker line with a fixed kind and quoted arguments.
    public mutating func mark(_ kind: String, _ arguments: String...) {
        lines.append(ShellQuote.join(["m", kind] + arguments))
    }

    /// Exports `variables` (secrets) for everything the script runs, right after the preamble.
    public mutating func export(_ variables: [String: String]) {
        var exports = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(ShellQuote.quote($0.value)); export \($0.key)" }
        if !variables.isEmpty {
            // The names `masklog` masks the values of.
            exports.append("DEPLOYER_SECRETS=\(ShellQuote.quote(variables.keys.sorted().joined(separator: " "))); export DEPLOYER_SECRETS")
        }
        lines.insert(contentsOf: exports, at: min(ShellScript.preambleLength, lines.count))
    }

    /// Runs the recipe's commands with `runner` (`RemoteShell.commandRunner`) instead of `sh -c`.
    public mutating func runCommands(with runner: String) {
        lines.insert("C=" + ShellQuote.quote(runner), at: min(ShellScript.preambleLength, lines.count))
    }

    /// How a script line starts one of the recipe's commands (followed by the command as one quoted word):
    /// with the runner set by `runCommands(with:)`, else `sh -c`.
    public static let commandShell = "${C:-sh -c}"

    private static let preambleLength = 4

    public var text: String { lines.joined(separator: "\n") + "\n" }
}
