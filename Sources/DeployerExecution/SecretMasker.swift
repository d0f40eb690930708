import Foundation

/// Hides secret values in anything shown to a person (stderr tails, commands).
enum SecretMasker {
    static func mask(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 3 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "****") }
    }
}
