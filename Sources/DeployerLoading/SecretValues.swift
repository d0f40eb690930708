import DeployerModel
import Foundation

/// The values of a recipe's secrets, read on the controller when a command
/// runs: from the controller's environment first, else from the recipe's
/// `secrets_file` (dotenv form, as Kamal's `.kamal/secrets` or a `.env`).
public enum SecretValues {
    /// Every secret in `names`, or diagnostics naming each one that is missing
    /// and where it may be set, and any problem with the file (with its line).
    /// The file is read only when the environment lacks one of the names.
    public static func read(_ names: [String], file: SecretsFile?, environment: [String: String],
                            recipeSources: [String: String] = [:]) throws(DiagnosticsError) -> [String: String] {
        var values: [String: String] = [:]
        var fromFile: [String: String]?
        var diagnostics: [Diagnostic] = []
        let sources = recipeSources
        for name in names {
            if let value = environment[name] {
                values[name] = value
                continue
            }
            if let file, fromFile == nil {
                let text: String
                do { text = try String(contentsOfFile: file.path, encoding: .utf8) } catch {
                    throw DiagnosticsError([.error("cannot read the secrets file \(file.path): \(error.localizedDescription)",
                                                   at: file.location,
                                                   note: "create it (NAME=value lines, mode 600) or export the secrets instead")],
                                           sources: sources)
                }
                // The file's text is not among the sources: a diagnostic's excerpt would show its line.
                switch parse(text, path: file.path) {
                case let .success(parsed): fromFile = parsed
                case let .failure(error): throw DiagnosticsError(error.diagnostics, sources: sources)
                }
            }
            if let value = fromFile?[name] {
                values[name] = value
            } else {
                let place = file.map { " nor in \($0.path)" } ?? ""
                let fix = file.map { "export \(name)=… before running deployer, or add \(name)=… to \($0.path)" }
                    ?? "export \(name)=… before running deployer, or name a file of values with secrets_file:"
                diagnostics.append(.error("secret \(name) is not set in the controller's environment\(place)", note: fix))
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics, sources: sources) }
        return values
    }

    /// `NAME=value` lines: blank lines and `#` comments skipped, an optional
    /// `export ` prefix, values unquoted (trimmed), in single quotes (as
    /// written) or in double quotes (with `\n`, `\"` and `\\`). An error names
    /// the line and column; it never shows a value.
    public static func parse(_ text: String, path: String) -> Result<[String: String], DiagnosticsError> {
        var values: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            line = line.dropFirst(indent)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            let column = rawLine.count - line.count + 1
            let location = SourceLocation(file: path, line: index + 1, column: column)
            guard let equals = line.firstIndex(of: "=") else {
                diagnostics.append(.error("expected NAME=value", at: location, note: "secrets files hold one NAME=value per line"))
                continue
            }
            let name = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            guard isName(name) else {
                diagnostics.append(.error("the text before '=' is not a secret name (letters, digits and _, not starting with a digit)",
                                          at: location))
                continue
            }
            switch value(line[line.index(after: equals)...]) {
            case let .some(value): values[name] = value
            case .none:
                diagnostics.append(.error("the value of \(name) has no closing quote",
                                          at: location, note: "values span one line; write a newline as \\n inside double quotes"))
            }
        }
        return diagnostics.isEmpty ? .success(values) : .failure(DiagnosticsError(diagnostics))
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// The value after `=`: nil when a quote is not closed.
    private static func value(_ raw: Substring) -> String? {
        let text = raw.drop { $0 == " " || $0 == "\t" }
        guard let quote = text.first, quote == "'" || quote == "\"" else {
            let withoutComment = text.range(of: " #").map { text[..<$0.lowerBound] } ?? text
            return withoutComment.trimmingCharacters(in: .whitespaces)
        }
        var result = ""
        var escaped = false
        for character in text.dropFirst() {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                return result
            } else {
                result.append(character)
            }
        }
        return nil
    }
}
