import DeployerModel
import Foundation
import DeployerReporting

/// Prints diagnostics the way compilers do, to standard error:
///
///     deploy.yml:14:7: error: unknown key 'rols' in task 'restart'; did you mean 'roles'?
///        rols: [web]
///        ^~~~
///
/// followed by a count, so that a long list ends with a summary.
public enum DiagnosticPrinter {
    /// Renders `diagnostics` (sorted by position) with source lines from `sources` (text by path).
    public static func render(_ diagnostics: [Diagnostic], sources: [String: String]) -> String {
        let sorted = DiagnosticsError(diagnostics).diagnostics
        var blocks = sorted.map { $0.rendered(source: $0.location.flatMap { sources[$0.file] }) }
        let errors = sorted.filter { $0.severity == .error }.count
        if errors > 1 { blocks.append("\(errors) errors") }
        return blocks.joined(separator: "\n") + "\n"
    }

    /// Writes `render(diagnostics, sources:)` to standard error.
    public static func print(_ diagnostics: [Diagnostic], sources: [String: String]) {
        FileHandle.standardError.writeUnlessClosed(render(diagnostics, sources: sources))
    }
}
