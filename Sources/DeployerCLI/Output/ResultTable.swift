import DeployerReporting

/// The result of a read-only fleet command (`status`, `releases`): one row per
/// host or release, shown as left-aligned columns, or with `--format json` as
/// one JSON object per row, so that scripts never have to parse the columns.
struct ResultTable {
    struct Column {
        /// The text header, e.g. `CURRENT`.
        var header: String
        /// The JSON member name, e.g. `current`.
        var key: String
    }

    /// One value: its JSON form, and the text shown in the column when that
    /// differs from the JSON value's plain rendering (an abbreviated digest).
    struct Cell {
        var json: JSONValue
        var text: String

        init(_ json: JSONValue, text: String? = nil) {
            self.json = json
            self.text = text ?? ResultTable.plainText(json)
        }

        /// A string, or `null` shown as `-`.
        static func string(_ value: String?, text: String? = nil) -> Cell { Cell(.optional(value), text: text) }
    }

    /// The JSON `type` of each row's object, e.g. `host_status`.
    var type: String
    var columns: [Column]
    var rows: [[Cell]] = []

    init(type: String, _ columns: [(header: String, key: String)]) {
        self.type = type
        self.columns = columns.map { Column(header: $0.header, key: $0.key) }
    }

    /// Left-aligned columns; cells made display-safe, since most come from hosts (a release
    /// marker's author, a lock's holder) and must not reach the terminal as control sequences.
    var text: String {
        let all = [columns.map(\.header)] + rows.map { $0.map(\.text.displaySafe) }
        let widths = columns.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// One JSON object per row: `schema`, `type`, then each column's member.
    var jsonLines: String {
        rows.map { row in
            JSONValue.object([.init("schema", .int(1)), .init("type", .string(type))]
                + zip(columns, row).map { JSONValue.Member($0.key, $1.json) }).serialized
        }.joined(separator: "\n")
    }

    /// `jsonLines` when `json`, else `text`.
    func rendered(json: Bool) -> String { json ? jsonLines : text }

    /// `null` as `-`, booleans as yes/no, arrays comma-separated.
    static func plainText(_ value: JSONValue) -> String {
        switch value {
        case let .string(text): text
        case let .int(number): String(number)
        case let .double(number): String(number)
        case let .bool(flag): flag ? "yes" : "no"
        case .null: "-"
        case let .array(items): items.map(plainText).joined(separator: ",")
        case .object: value.serialized
        }
    }
}
