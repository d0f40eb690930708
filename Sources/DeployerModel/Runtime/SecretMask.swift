import Foundation

/// Replaces secret values with `****` in text meant for people or logs.
///
/// Each secret is hidden in every form it takes in a command or its output:
/// as is; shell-quoted (`ShellQuote.quote`, as templates substitute it);
/// inside an enclosing single-quoted word, `'` written `'\''` (as
/// `RemoteShell.wrap` sends a command), both raw and quoted; and line by line
/// for a multi-line secret such as a key, since a stderr tail is split into
/// lines (lines shorter than four characters are left alone, or every `-`
/// would go). Longer forms are replaced first, so a secret that contains
/// another is hidden whole.
public struct SecretMask: Sendable {
    /// What every hidden value becomes.
    public static let replacement = "****"

    private let patterns: [String]

    /// `secrets` by name; only the values matter. Empty values are ignored.
    public init(secrets: [String: String]) {
        var patterns = Set<String>()
        for value in secrets.values where !value.isEmpty {
            patterns.insert(value)
            patterns.insert(ShellQuote.quote(value))
            for form in [value, ShellQuote.quote(value)] {
                patterns.insert(ShellQuote.escapingSingleQuotes(form))
            }
            for line in value.split(whereSeparator: \.isNewline) where line.count >= 4 {
                patterns.insert(String(line))
            }
        }
        self.patterns = patterns.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// Whether there is nothing to hide.
    public var isEmpty: Bool { patterns.isEmpty }

    /// `text` with every form of every secret replaced by `****`.
    public func apply(_ text: String) -> String {
        patterns.reduce(text) { $0.replacingOccurrences(of: $1, with: SecretMask.replacement) }
    }
}
