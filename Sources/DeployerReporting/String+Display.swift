extension String {
    /// This text with every control character made visible (`^[` for ESC,
    /// `^M` for a carriage return, U+FFFD for C1 controls) and tabs as one
    /// space, so that text from a host (a stderr tail, a message, a release
    /// marker's or a lock's fields) can neither move the cursor nor forge a
    /// log line. Newlines are escaped too: split into lines first.
    public var displaySafe: String { displaySafe(keepingTabs: false) }

    /// `displaySafe`, with tabs kept as they are when `keepingTabs` (command output in columns).
    public func displaySafe(keepingTabs: Bool) -> String {
        guard unicodeScalars.contains(where: String.isControl) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x09: out.append(keepingTabs ? "\t" : " ")
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(scalar.value + 0x40)))
            case 0x7F: out.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The lines of this text (split at `\n` and `\r\n`, a stray trailing `\r` dropped), each display-safe.
    public var displayLines: [String] {
        split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            String(line.last == "\r" ? line.dropLast() : line).displaySafe
        }
    }

    /// This text, its lines kept and each made display-safe: for messages that may quote a host.
    public var displayText: String { displayLines.joined(separator: "\n") }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}
