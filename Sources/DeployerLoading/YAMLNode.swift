import DeployerModel

/// A YAML node with the file, line and column it came from: Yams' `Node`
/// keeps line and column only, and a recipe merged from several files
/// (`use:`) needs the file too.
struct YAMLNode: Sendable {
    enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    enum Kind: Sendable {
        case scalar(String, Style)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    struct Pair: Sendable {
        var key: YAMLNode
        var value: YAMLNode
    }

    var kind: Kind
    var location: SourceLocation

    /// A plain `~`, `null` or empty scalar: YAML's "nothing".
    var isNull: Bool {
        if case let .scalar(text, .plain) = kind { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    /// The text of a scalar node; nil for lists and mappings.
    var scalar: String? {
        if case let .scalar(text, _) = kind { return text }
        return nil
    }

    var pairs: [Pair]? {
        if case let .mapping(pairs) = kind { return pairs }
        return nil
    }

    var items: [YAMLNode]? {
        if case let .sequence(items) = kind { return items }
        return nil
    }

    /// How the node reads in an error message: "a mapping", "a list", "nothing", "'yes'".
    var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .scalar(text, _): return isNull ? "nothing" : "'\(text.count > 40 ? String(text.prefix(37)) + "..." : text)'"
        }
    }
}
