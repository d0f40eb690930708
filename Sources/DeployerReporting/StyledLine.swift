/// One line of the terminal view made of styled pieces, so it can be cut to
/// the terminal's width by what is visible and coloured (or not) afterwards.
struct StyledLine: Sendable, Equatable {
    struct Piece: Sendable, Equatable {
        var text: String
        var style: TextStyle
    }

    var pieces: [Piece] = []

    init(_ text: String = "", _ style: TextStyle = .plain) {
        if !text.isEmpty { pieces = [Piece(text: text, style: style)] }
    }

    /// Appends `text` (display-safe already) in `style`.
    mutating func append(_ text: String, _ style: TextStyle = .plain) {
        if !text.isEmpty { pieces.append(Piece(text: text, style: style)) }
    }

    /// The visible text, without styles.
    var text: String { pieces.map(\.text).joined() }

    /// The line cut to `width` visible characters (with `…` when cut; no limit
    /// when nil), with colour codes when `colors` is set.
    func rendered(width: Int?, colors: Bool) -> String {
        var room = width ?? Int.max
        var out = ""
        for piece in pieces where room > 0 {
            var text = piece.text
            if text.count > room {
                text = String(text.prefix(max(room - 1, 0))) + "…"
            }
            room -= text.count
            if colors, let sgr = piece.style.sgr {
                out += sgr + text + TextStyle.reset
            } else {
                out += text
            }
        }
        return out
    }
}
