import DeployerModel

/// The host scripts kept as shell files under `Scripts/` (`Scripts/preamble.sh` documents the
/// names of the values they are given), embedded by `HostScriptsPlugin` as `HostScriptTemplate.NAME`.
///
/// A template is sent as written, minus its comment and blank lines (they are for the reader:
/// a script is sent on every step, the heartbeat every few seconds), after the assignments of the
/// values it is given, each shell-quoted: no value ever reaches a host any other way. A recipe's value
/// that is already one shell word (`Template.renderWord`: a secret in it is a reference to the variable
/// the script exports, expanded on the host) is assigned as that word.
enum HostScriptTemplate {
    /// The lines of `template` as sent, after one `NAME='VALUE'` line per value and one `NAME=WORD`
    /// line per word.
    static func render(_ template: String, values: KeyValuePairs<String, String> = [:],
                       words: KeyValuePairs<String, String> = [:]) -> [String] {
        values.map { "\($0.key)=\(ShellQuote.quote($0.value))" } + words.map { "\($0.key)=\($0.value)" }
            + sentLines(of: template)
    }

    /// `template` without its comment lines (a `#` first, after any indentation) and blank lines,
    /// but with its shellcheck directives (`# shellcheck …`), which apply to the rendered script.
    /// A template never starts a line of a multi-line string with `#`.
    static func sentLines(of template: String) -> [String] {
        template.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            let text = line.drop { $0 == " " }
            let comment = text.hasPrefix("#") && !text.hasPrefix("# shellcheck ")
            return text.isEmpty || comment ? nil : String(line)
        }
    }
}
