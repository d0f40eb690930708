/// Quoting for POSIX `sh`, done in one place: every value substituted into a
/// remote command goes through here, never through string concatenation.
public enum ShellQuote {
    /// Characters that never need quoting in a POSIX shell word.
    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./-".unicodeScalars)

    /// `value` as one shell word: unchanged when it is made only of safe
    /// characters, otherwise wrapped in single quotes with `'` written as `'\''`.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.unicodeScalars.allSatisfy({ safe.contains($0) }) { return value }
        return "'" + escapingSingleQuotes(value) + "'"
    }

    /// `text` with every `'` written as `'\''` (the inside of a single-quoted word), scalar by scalar
    /// as the shell reads bytes: a `'` followed by a combining mark is one Swift `Character` that is
    /// not `"'"`, and once went out unescaped, ending the quoted word (found by Scripts/fuzz).
    public static func escapingSingleQuotes(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.flatMap { $0 == "'" ? Array("'\\''".unicodeScalars) : [$0] }))
    }

    /// Whether the shell reads `text` as one word that expands to nothing but
    /// its own letters: safe characters, single-quoted spans and backslash-escaped
    /// characters only, so no `$`, backquote, glob, `~`, space or operator acts.
    /// Such a word can be tested on a host without running anything a recipe wrote.
    public static func isInertWord(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.makeIterator()
        var inQuotes = false
        while let scalar = scalars.next() {
            if inQuotes {
                if scalar == "'" { inQuotes = false }
            } else if scalar == "'" {
                inQuotes = true
            } else if scalar == "\\" {
                guard let escaped = scalars.next(), escaped != "\n" else { return false }
            } else if !safe.contains(scalar) {
                return false
            }
        }
        return !inQuotes && !text.isEmpty
    }

    /// Joins words into a command line, quoting each.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
