/// A problem found in user input (a recipe, an inventory, a command line),
/// collected for a whole stage and printed together, sorted by position.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    /// Extra explanation printed under the source excerpt.
    public var note: String?
    /// A concrete replacement the user can apply (e.g. the suggested key).
    public var fixIt: String?

    public init(_ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil,
                note: String? = nil, fixIt: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.note = note
        self.fixIt = fixIt
    }

    public static func error(_ message: String, at location: SourceLocation? = nil, note: String? = nil,
                             fixIt: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, note: note, fixIt: fixIt)
    }
}

/// Thrown when a stage found one or more errors; carries all of them.
public struct DiagnosticsError: Error, Sendable {
    public var diagnostics: [Diagnostic]
    /// Text of the files the diagnostics point into, by path, so a printer can
    /// show the source line without reading the files again.
    public var sources: [String: String]
    public init(_ diagnostics: [Diagnostic], sources: [String: String] = [:]) {
        self.sources = sources
        // By position (file, then line and column as numbers), diagnostics without a location first.
        let origin = SourceLocation(file: "", line: 0, column: 0)
        self.diagnostics = diagnostics.enumerated().sorted {
            let (a, b) = ($0.element.location ?? origin, $1.element.location ?? origin)
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
    }
}
