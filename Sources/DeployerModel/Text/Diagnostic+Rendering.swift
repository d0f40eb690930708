/// Text rendering of diagnostics, the way compilers print them:
///
///     deploy.yml:14:7: error: unknown key 'rols' in task 'restart'; did you mean 'roles'?
///        rols: [web]
///        ^~~~
extension Diagnostic {
    /// Source lines longer than this many characters are shown as a window of this width around the column.
    public static let excerptWidth = 160

    /// `file:line:column: severity: message` (no location prefix when there is none).
    public var headline: String {
        (location.map { "\($0): " } ?? "") + "\(severity.rawValue): \(message)"
    }

    /// The headline, then the source line with a caret under the column (when
    /// `source` is the text of the diagnostic's file), then the note and fix-it.
    public func rendered(source: String?) -> String {
        var lines = [headline]
        if let location, let source {
            let sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if location.line >= 1, location.line <= sourceLines.count {
                let line = String(sourceLines[location.line - 1]).replacingTabs()
                let scalars = Array(line.unicodeScalars)
                let column = min(max(location.column - 1, 0), scalars.count)
                let rest = scalars[column...]
                let tokenLength: Int
                if rest.starts(with: "{{".unicodeScalars) {
                    // A template placeholder: underline it up to its closing braces.
                    let close = rest.indices.dropFirst(2).first { $0 + 1 < rest.endIndex && rest[$0] == "}" && rest[$0 + 1] == "}" }
                    tokenLength = close.map { $0 + 2 - column } ?? 2
                } else if let quote = rest.first, quote == "\"" || quote == "'" {
                    // A quoted scalar: underline it with its quotes.
                    let close = rest.indices.dropFirst().first { rest[$0] == quote }
                    tokenLength = close.map { $0 + 1 - column } ?? 1
                } else {
                    tokenLength = rest.prefix { !" ,:[]{}#\"'".unicodeScalars.contains($0) }.count
                }
                // A long line (a megabyte-long scalar) is shown as a window around the column, marked with "…".
                let start = column > Self.excerptWidth / 2 ? min(column - Self.excerptWidth / 4, max(scalars.count - Self.excerptWidth, 0)) : 0
                let end = min(scalars.count, start + Self.excerptWidth)
                var excerpt = String.UnicodeScalarView(scalars[start..<end])
                if start > 0 { excerpt.insert("…", at: excerpt.startIndex) }
                if end < scalars.count { excerpt.append("…") }
                let caret = column - start + (start > 0 ? 1 : 0)
                lines.append(String(excerpt))
                lines.append(String(repeating: " ", count: caret) + "^" + String(repeating: "~", count: max(min(tokenLength, end - column) - 1, 0)))
            }
        }
        if let note { lines.append("note: \(note)") }
        if let fixIt { lines.append("fix-it: \(fixIt)") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
