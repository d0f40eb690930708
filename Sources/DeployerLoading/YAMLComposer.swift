import DeployerModel
import Yams

/// Turns the text of one YAML file into a `YAMLNode` tree with file, line and
/// column on every node, or diagnostics.
///
/// Yams stops at the first duplicate key and points at its first occurrence;
/// the composer finds the repeated key itself, reports it there, hides it and
/// parses again, so that all duplicates (and the errors after them) are found
/// in one run.
///
/// Yams is given its `basic` resolver: every scalar is text to it, as it is to
/// the decoder, which types values itself. Its default resolver typed plain
/// scalars (seven `NSRegularExpression`s compiled by ICU on first use), so
/// `yes:` and `"yes":` were different keys to its duplicate check though the
/// same key to the recipe, and one of the two values was silently lost.
struct YAMLComposer {
    /// Deeper nesting than this is refused before Yams (which recurses) sees it.
    static let maximumDepth = 64
    /// Bound on re-parses after duplicate keys.
    static let maximumDuplicates = 50

    let file: String

    func compose(_ text: String) -> (node: YAMLNode?, diagnostics: [Diagnostic]) {
        if let tooDeep = nestingTooDeep(text) {
            return (nil, [.error("the YAML nesting is too deep (more than \(Self.maximumDepth) levels)", at: tooDeep)])
        }
        var diagnostics: [Diagnostic] = []
        var patched = text
        var hiddenKeys = Set<SourceLocation>()
        var seenReports = Set<String>()
        for _ in 0...Self.maximumDuplicates {
            do {
                guard let node = try Yams.compose(yaml: patched, .basic) else {
                    return (nil, diagnostics + [.error("the recipe is empty", at: location(1, 1))])
                }
                var budget = YAMLExpansionBudget()
                let converted = convert(node, hiding: hiddenKeys, budget: &budget)
                if let anchor = budget.overflowingAnchor {
                    let limit = YAMLExpansionBudget.maximumAliasedBytes >> 20
                    return (nil, diagnostics + [.error(
                        "the YAML expands to more than \(limit) MB of text: the value anchored here is repeated by too many aliases",
                        at: anchor, note: "write the value once (a var used in templates), or use fewer aliases of it")])
                }
                if budget.isExhausted {
                    return (nil, diagnostics + [.error("the YAML expands to more than \(YAMLExpansionBudget.maximumNodes) nodes",
                                                       at: location(1, 1))])
                }
                return (converted, diagnostics)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                // The same report twice means the key hidden last time was not the repeated one: stop there.
                let report = "\(context.mark.line):\(context.mark.column):\(duplicates.first ?? "")"
                guard let key = duplicates.first, seenReports.insert(report).inserted,
                      let repeated = findRepeatedKey(key, after: context.mark, in: patched) else {
                    let name = duplicates.first ?? "?"
                    return (nil, diagnostics + [.error("duplicate key '\(name)'", at: location(context.mark.line, context.mark.column))])
                }
                diagnostics.append(.error("duplicate key '\(key)'", at: location(repeated.line, repeated.column),
                                          note: "first defined at line \(context.mark.line), column \(context.mark.column)"))
                hiddenKeys.insert(location(repeated.line, repeated.column))
                patched = hide(key, at: repeated, in: patched, serial: hiddenKeys.count)
            } catch let error as YamlError {
                return (nil, diagnostics + [syntaxDiagnostic(error, text: text)])
            } catch {
                return (nil, diagnostics + [.error("cannot read the YAML: \(error)", at: location(1, 1))])
            }
        }
        return (nil, diagnostics)
    }

    private func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: max(line, 1), column: max(column, 1))
    }

    /// libyaml reports a problem at the end of a file without a final newline
    /// on the line after the last one; point at the end of the last line instead.
    private func clamped(_ line: Int, _ column: Int, in text: String) -> SourceLocation {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line > lines.count, let last = lines.last else { return location(line, column) }
        return location(lines.count, last.unicodeScalars.count + 1)
    }

    private func syntaxDiagnostic(_ error: YamlError, text: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            // libyaml's problems read as the second half of a sentence whose first half is the context.
            if let context, problem.hasPrefix("but ") {
                return .error("invalid YAML: \(context.text), \(problem)", at: clamped(mark.line, mark.column, in: text))
            }
            let note = context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column)" }
            return .error("invalid YAML: \(problem)", at: clamped(mark.line, mark.column, in: text), note: note)
        case let .reader(problem, offset, _, _):
            var line = 1, column = 1
            for character in text.unicodeScalars.prefix(offset ?? 0) {
                if character == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            return .error("invalid YAML: \(problem)", at: location(line, column))
        default:
            return .error("invalid YAML: \(error)", at: location(1, 1))
        }
    }

    /// A conservative estimate of the nesting depth: open brackets of flow
    /// collections, and the leading run of indentation and `- ` on a line.
    private func nestingTooDeep(_ text: String) -> SourceLocation? {
        var line = 1, column = 0, depth = 0, leading = true, leadingRun = 0
        for scalar in text.unicodeScalars {
            column += 1
            if scalar == "\n" { line += 1; column = 0; leading = true; leadingRun = 0; continue }
            if leading {
                if scalar == " " || scalar == "-" || scalar == "?" || scalar == ":" { leadingRun += 1 } else { leading = false }
                if leadingRun > Self.maximumDepth * 4 { return location(line, column) }
            }
            if scalar == "[" || scalar == "{" { depth += 1; if depth > Self.maximumDepth { return location(line, column) } }
            if scalar == "]" || scalar == "}" { depth = max(0, depth - 1) }
        }
        return nil
    }

    /// Where `key` is written again in the mapping whose first occurrence of
    /// it is at `mark`: same indentation in block style, or later in the same
    /// flow mapping.
    private func findRepeatedKey(_ key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let first = lines[mark.line - 1]
        let keyScalars = Array(key.unicodeScalars)
        let before = first.prefix(mark.column - 1).reversed().first { $0 != " " }
        if before == "{" || before == "," {
            // Flow mapping: the next `, key:` after the first occurrence.
            for lineIndex in (mark.line - 1)..<lines.count {
                let scalars = lines[lineIndex]
                let start = lineIndex == mark.line - 1 ? mark.column - 1 + keyScalars.count : 0
                var i = start
                while i < scalars.count {
                    if scalars[i] == "," || scalars[i] == "{" {
                        var j = i + 1
                        while j < scalars.count, scalars[j] == " " { j += 1 }
                        if let end = keyEnd(keyScalars, in: scalars, at: j) , end <= scalars.count { return (lineIndex + 1, j + 1) }
                    }
                    i += 1
                }
            }
            return nil
        }
        let indent = mark.column - 1
        for lineIndex in mark.line..<lines.count {
            let scalars = lines[lineIndex]
            let spaces = scalars.prefix { $0 == " " }.count
            if spaces == scalars.count || scalars[spaces] == "#" { continue }
            if spaces < indent { return nil }
            if spaces == indent, keyEnd(keyScalars, in: scalars, at: spaces) != nil { return (lineIndex + 1, spaces + 1) }
        }
        return nil
    }

    /// The end of `key:` (plain or quoted) written at `start`, if it is there.
    private func keyEnd(_ key: [Unicode.Scalar], in scalars: [Unicode.Scalar], at start: Int) -> Int? {
        var i = start
        var quote: Unicode.Scalar?
        if i < scalars.count, scalars[i] == "\"" || scalars[i] == "'" { quote = scalars[i]; i += 1 }
        guard i + key.count <= scalars.count, Array(scalars[i..<(i + key.count)]) == key else { return nil }
        i += key.count
        if let quote { guard i < scalars.count, scalars[i] == quote else { return nil }; i += 1 }
        while i < scalars.count, scalars[i] == " " { i += 1 }
        guard i < scalars.count, scalars[i] == ":" else { return nil }
        return i
    }

    /// The text with the key at `position` renamed to a unique name of the
    /// same length (private-use characters), so columns after it stay put.
    private func hide(_ key: String, at position: (line: Int, column: Int), in text: String, serial: Int) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var scalars = lines[position.line - 1]
        var start = position.column - 1
        if scalars[start] == "\"" || scalars[start] == "'" { start += 1 }
        var n = serial
        for offset in 0..<key.unicodeScalars.count {
            scalars[start + offset] = Unicode.Scalar(0xE000 + UInt32(n % 256))!
            n /= 256
        }
        lines[position.line - 1] = scalars
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    private func convert(_ node: Node, hiding hidden: Set<SourceLocation>, budget: inout YAMLExpansionBudget) -> YAMLNode {
        let here = location(node.mark?.line ?? 1, node.mark?.column ?? 1)
        let stopped = YAMLNode(kind: .scalar("", .plain), location: here)
        guard budget.spendNode() else { return stopped }
        switch node {
        case let .scalar(scalar):
            guard budget.spendScalar(bytes: scalar.string.utf8.count, at: here) else { return stopped }
            let style: YAMLNode.Style
            switch scalar.style {
            case .singleQuoted: style = .singleQuoted
            case .doubleQuoted: style = .doubleQuoted
            case .literal: style = .literal
            case .folded: style = .folded
            default: style = .plain
            }
            return YAMLNode(kind: .scalar(scalar.string, style), location: here)
        case let .sequence(sequence):
            return YAMLNode(kind: .sequence(sequence.map { convert($0, hiding: hidden, budget: &budget) }), location: here)
        case let .mapping(mapping):
            var pairs: [YAMLNode.Pair] = []
            for (key, value) in mapping {
                let keyNode = convert(key, hiding: hidden, budget: &budget)
                if hidden.contains(keyNode.location) { continue }
                pairs.append(YAMLNode.Pair(key: keyNode, value: convert(value, hiding: hidden, budget: &budget)))
            }
            return YAMLNode(kind: .mapping(pairs), location: here)
        case let .alias(alias):
            return YAMLNode(kind: .scalar("*\(alias.anchor.rawValue)", .plain), location: here)
        }
    }
}
