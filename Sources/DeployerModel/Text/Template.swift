/// A command or value with `{{ name }}` placeholders.
///
/// Substituted values are shell-quoted by default (`{{ name }}`); raw text
/// needs the explicit form `{{ name | raw }}`. Parsing is separate from
/// rendering so that an undefined name is found at load time, with its
/// location, not on a host.
public struct Template: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Segment: Hashable, Sendable, Codable {
        case text(String)
        case variable(name: String, raw: Bool)
    }

    public struct ParseError: Error, Hashable, Sendable {
        public var message: String
        /// Offset in characters from the start of the template source.
        public var offset: Int
    }

    public var source: String
    public var segments: [Segment]
    /// For each `.variable` segment, in order, the offset in characters of its
    /// `{{` in `source`, so that a diagnostic can point inside the string.
    public var variableOffsets: [Int]

    public var description: String { source }

    /// The variable names used, in order of first use.
    public var variables: [String] {
        var seen = Set<String>()
        return segments.compactMap {
            if case let .variable(name, _) = $0, seen.insert(name).inserted { return name }
            return nil
        }
    }

    public init(literal: String) {
        source = literal
        segments = literal.isEmpty ? [] : [.text(literal)]
        variableOffsets = []
    }

    public init(parsing source: String) throws(ParseError) {
        self.source = source
        var segments: [Segment] = []
        var offsets: [Int] = []
        var text = ""
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let start = i
                var j = i + 2
                var inner = ""
                var closed = false
                while j < chars.count {
                    if chars[j] == "}", j + 1 < chars.count, chars[j + 1] == "}" { closed = true; break }
                    inner.append(chars[j])
                    j += 1
                }
                guard closed else { throw ParseError(message: "unterminated '{{'; close it with '}}'", offset: start) }
                let parts = inner.split(separator: "|", omittingEmptySubsequences: false)
                    .map { Template.trimmed($0) }
                let name = parts[0]
                guard Template.isValidName(name) else {
                    throw ParseError(message: name.isEmpty ? "empty '{{ }}'" : "invalid variable name '\(name)' in '{{ }}'",
                                     offset: start)
                }
                var raw = false
                if parts.count == 2, parts[1] == "raw" { raw = true }
                else if parts.count > 1 {
                    throw ParseError(message: "unknown filter '\(parts.dropFirst().joined(separator: "|"))'; the only filter is 'raw'",
                                     offset: start)
                }
                if !text.isEmpty { segments.append(.text(text)); text = "" }
                segments.append(.variable(name: name, raw: raw))
                offsets.append(start)
                i = j + 2
            } else {
                text.append(chars[i])
                i += 1
            }
        }
        if !text.isEmpty { segments.append(.text(text)) }
        self.segments = segments
        self.variableOffsets = offsets
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    }

    public struct UndefinedVariable: Error, Hashable, Sendable {
        public var name: String
    }

    /// The text with `values` put in as they are, quoted nowhere: for a value that reaches no shell
    /// (a notification's URL, handed to curl in its configuration).
    public func renderVerbatim(_ values: [String: String]) throws(UndefinedVariable) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case let .text(text): out += text
            case let .variable(name, _):
                guard let value = values[name] else { throw UndefinedVariable(name: name) }
                out += value
            }
        }
        return out
    }

    /// Renders with `values`; quoted values go through `ShellQuote`. A name in
    /// `environmentReferences` (a secret) becomes a reference to the shell
    /// variable of that name (`"${NAME}"`, or `${NAME}` when raw), exported by
    /// the script that runs the command, so its value never appears in the
    /// command's text: not in what is sent, shown, logged or recorded.
    public func render(_ values: [String: String], environmentReferences: Set<String> = []) throws(UndefinedVariable) -> String {
        try render(values, environmentReferences: environmentReferences) { $0 }
    }

    /// One shell word whose expansion is this template's text with `values`
    /// substituted, for a template that is not a command but an argument of
    /// one (a health check's URL or socket path): literal text is quoted too;
    /// values and secrets as in `render`.
    public func renderWord(_ values: [String: String], environmentReferences: Set<String> = []) throws(UndefinedVariable) -> String {
        let word = try render(values, environmentReferences: environmentReferences, text: ShellQuote.quote)
        return word.isEmpty ? "''" : word
    }

    private func render(_ values: [String: String], environmentReferences: Set<String>,
                        text literal: (String) -> String) throws(UndefinedVariable) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case let .text(text): out += literal(text)
            case let .variable(name, raw) where environmentReferences.contains(name):
                out += raw ? "${\(name)}" : "\"${\(name)}\""
            case let .variable(name, raw):
                guard let value = values[name] else { throw UndefinedVariable(name: name) }
                out += raw ? value : ShellQuote.quote(value)
            }
        }
        return out
    }

    static func trimmed(_ s: Substring) -> String {
        var s = s
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
