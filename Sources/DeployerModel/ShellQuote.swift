/// Quoting for POSIX `sh`, done in one place: every value substituted into a
/// remote command goes through here, never through string concatenation.
public enum ShellQuote {
    /// Characters that never need quoting in a POSIX shell word.
    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./-")

    /// `value` as one shell word: unchanged when it is made only of safe
    /// characters, otherwise wrapped in single quotes with `'` written as `'\''`.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy({ safe.contains($0) }) { return value }
        var quoted = "'"
        for character in value {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }

    /// Joins words into a command line, quoting each.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
