/// Just enough of a terminal to replay what the terminal reporter writes:
/// printable text, `\n` (as the tty's onlcr makes it, a new line at column 0),
/// `\r`, cursor up (`ESC [ n A`), clear to the end of the screen (`ESC [ J`);
/// colours (`ESC [ … m`) are dropped. Lines scrolled off stay in `lines`.
struct VirtualScreen {
    private(set) var lines: [[Character]] = [[]]
    private var row = 0
    private var column = 0
    /// Escape sequences other than the ones above, which the reporter must not send.
    private(set) var unexpected: [String] = []

    mutating func feed(_ text: String) {
        var characters = text.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\n", "\r\n":
                row += 1
                column = 0
                if row == lines.count { lines.append([]) }
            case "\r":
                column = 0
            case "\u{1B}":
                var sequence = ""
                guard characters.next() == "[" else { unexpected.append("ESC without ["); continue }
                while let next = characters.next() {
                    sequence.append(next)
                    if next.isLetter { break }
                }
                apply(sequence)
            default:
                while lines[row].count < column { lines[row].append(" ") }
                if column < lines[row].count { lines[row][column] = character } else { lines[row].append(character) }
                column += 1
            }
        }
    }

    private mutating func apply(_ sequence: String) {
        let argument = Int(sequence.dropLast()) ?? 1
        switch sequence.last {
        case "A": row = max(row - argument, 0)
        case "J":
            lines[row].removeSubrange(min(column, lines[row].count)...)
            lines.removeSubrange((row + 1)...)
        case "m": break
        default: unexpected.append(sequence)
        }
    }

    /// The screen's text, trailing blank lines and spaces dropped.
    var text: String {
        var rows = lines.map { String($0).replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression) }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return rows.joined(separator: "\n")
    }
}
