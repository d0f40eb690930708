/// The few looks the terminal view uses, as ANSI SGR codes.
enum TextStyle: Sendable {
    case plain, bold, dim, red, green, yellow, cyan

    /// The escape sequence that turns this style on (nil for plain).
    var sgr: String? {
        switch self {
        case .plain: return nil
        case .bold: return "\u{1B}[1m"
        case .dim: return "\u{1B}[2m"
        case .red: return "\u{1B}[31m"
        case .green: return "\u{1B}[32m"
        case .yellow: return "\u{1B}[33m"
        case .cyan: return "\u{1B}[36m"
        }
    }

    static let reset = "\u{1B}[0m"
}
