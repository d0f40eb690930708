import DeployerModel

/// Typed scalar values: strings, booleans (only `true`/`false`), numbers,
/// durations, batch sizes, name lists and templates.
extension RecipeDecoder {
    mutating func string(_ node: YAMLNode, what: String = "a string") -> String? {
        guard let text = node.scalar, !node.isNull else {
            error("expected \(what), found \(node.kindDescription)", at: node.location)
            return nil
        }
        return text
    }

    mutating func bool(_ node: YAMLNode) -> Bool? {
        if case let .scalar(text, .plain) = node.kind, text == "true" || text == "false" { return text == "true" }
        let looksBoolean = ["yes", "no", "on", "off", "y", "n", "true", "false"].contains(node.scalar?.lowercased() ?? "")
        let quoted: Bool
        if case .scalar(_, .plain) = node.kind { quoted = false } else { quoted = node.scalar != nil }
        error("expected true or false, found " + (quoted ? "the quoted string " : "") + node.kindDescription, at: node.location,
              note: looksBoolean ? "only 'true' and 'false', unquoted, are booleans in a recipe" : nil)
        return nil
    }

    mutating func integer(_ node: YAMLNode, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard case let .scalar(text, .plain) = node.kind, let n = Int(text), text.allSatisfy(\.isNumber) else {
            error("expected a whole number, found \(node.kindDescription)", at: node.location)
            return nil
        }
        guard n >= minimum, n <= maximum else {
            error("expected a number " + (maximum == Int.max ? "of at least \(minimum)" : "from \(minimum) to \(maximum)") + ", found \(n)",
                  at: node.location)
            return nil
        }
        return n
    }

    /// `500ms`, `2s`, `1.5m`, `1h`, in seconds.
    mutating func duration(_ node: YAMLNode) -> Double? {
        guard let text = string(node, what: "a duration like '2s'") else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            if !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) { return value * scale }
        }
        error("invalid duration '\(text)'; write a number and a unit (ms, s, m or h), like '2s'", at: node.location)
        return nil
    }

    /// A `timeout` that timeout(1) enforces (a task's, an env build's): a duration of at least one
    /// millisecond. Zero is refused: timeout(1) reads 0 as no limit, so the command would run unbounded.
    mutating func commandTimeout(_ node: YAMLNode) -> Double? {
        guard let seconds = duration(node) else { return nil }
        guard seconds > 0 else {
            error("a timeout of 0 stops nothing (timeout(1) takes 0 as no limit); give a positive duration such as '10m', "
                + "or leave 'timeout' out", at: node.location)
            return nil
        }
        return seconds
    }

    /// A number of hosts (`2`) or a percentage of them (`25%`).
    mutating func size(_ node: YAMLNode, minimum: Int) -> RollingPolicy.Size? {
        guard let text = string(node, what: "a number of hosts or a percentage") else { return nil }
        if text.hasSuffix("%"), let p = Int(text.dropLast()), text.dropLast().allSatisfy(\.isNumber) {
            guard (minimum...100).contains(p) else {
                error("invalid percentage '\(text)'; expected \(minimum)% to 100%", at: node.location)
                return nil
            }
            return .percent(p)
        }
        if let n = Int(text), text.allSatisfy(\.isNumber), n >= minimum { return .count(n) }
        error("invalid size '\(text)'; write a number of hosts like 2 or a percentage like 25%", at: node.location)
        return nil
    }

    /// A list of scalar names with their locations; a non-list is reported.
    mutating func names(_ node: YAMLNode, what: String) -> [(name: String, location: SourceLocation)] {
        guard let items = node.items else {
            if !node.isNull {
                error("expected \(what), found \(node.kindDescription)", at: node.location,
                      fixIt: node.scalar.map { "[\($0)]" })
            }
            return []
        }
        return items.compactMap { item in string(item, what: "a name").map { ($0, item.location) } }
    }

    /// A value with `{{ }}` placeholders; parse errors point inside the string.
    mutating func template(_ node: YAMLNode, allowsEnvDir: Bool = false) -> Template? {
        guard let text = string(node, what: "a command or value") else { return nil }
        do {
            let template = try Template(parsing: text)
            templates.append(TemplateUse(template: template, node: node, allowsEnvDir: allowsEnvDir))
            return template
        } catch {
            self.error(error.message, at: location(ofOffset: error.offset, in: node))
            return nil
        }
    }

    /// The location of a character inside a scalar: exact when the scalar is
    /// on one line and written without escapes, or is a literal block (`|`)
    /// whose lines are the source lines minus their indentation; otherwise
    /// the scalar's start.
    func location(ofOffset offset: Int, in node: YAMLNode) -> SourceLocation {
        guard case let .scalar(text, style) = node.kind, let source = sources[node.location.file] else { return node.location }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if style == .literal {
            let before = text.prefix(offset)
            let lineIndex = before.filter { $0 == "\n" }.count
            let column = before.reversed().prefix { $0 != "\n" }.count
            let valueLine = text.split(separator: "\n", omittingEmptySubsequences: false)[lineIndex]
            let sourceLineNumber = node.location.line + 1 + lineIndex
            guard sourceLineNumber <= lines.count else { return node.location }
            let sourceLine = lines[sourceLineNumber - 1]
            let indent = sourceLine.prefix { $0 == " " }.count
            guard sourceLine.dropFirst(indent) == valueLine else { return node.location }
            return SourceLocation(file: node.location.file, line: sourceLineNumber,
                                  column: indent + valueLine.prefix(column).unicodeScalars.count + 1)
        }
        guard !text.contains("\n"), style == .plain || style == .singleQuoted || style == .doubleQuoted,
              node.location.line <= lines.count else { return node.location }
        let quoteWidth = style == .plain ? 0 : 1
        let line = Array(lines[node.location.line - 1].unicodeScalars)
        let start = node.location.column - 1 + quoteWidth
        let value = Array(text.unicodeScalars)
        guard start >= 0, start + value.count <= line.count, Array(line[start..<(start + value.count)]) == value else {
            return node.location
        }
        var location = node.location
        location.column += quoteWidth + text.prefix(offset).unicodeScalars.count
        return location
    }
}
