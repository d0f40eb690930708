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

    /// Joins words into a command line, quoting each.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
