extension String {
    /// Whether the text holds a newline, tab or other control character. A path with one is
    /// refused: the hosts' scripts pass paths as one-a-line lists, which a newline would split
    /// into two paths, and a terminal would show something else than it is.
    public var containsControlCharacter: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The text with its control characters (and quotes and backslashes) escaped, as Swift writes
    /// them (`\n`, `\u{1B}`), to show a refused value as it is.
    public var escapingControlCharacters: String {
        unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
    }
}
