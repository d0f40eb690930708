import DeployerModel

/// One run of `RecipeLoader.load`: reads the user's file and, through `use:`,
/// the recipes it builds on, merging each under the file that uses it.
struct RecipeLoadingSession {
    let loader: RecipeLoader
    var diagnostics: [Diagnostic] = []
    /// Text of every file read, by the path used in diagnostics.
    var sources: [String: String] = [:]

    init(loader: RecipeLoader) { self.loader = loader }

    /// The tree of `path` with everything it uses merged under it.
    mutating func compose(text original: String, path: String, stack: [String]) -> YAMLNode? {
        let text = Self.normalizingLineBreaks(original)
        sources[path] = text
        let (node, found) = YAMLComposer(file: path).compose(text)
        diagnostics += found
        guard let node else { return nil }
        guard let pairs = node.pairs, let use = pairs.first(where: { $0.key.scalar == RecipeSchema.TopLevel.use.rawValue }) else {
            return node
        }
        var base: YAMLNode?
        for item in use.value.items ?? [] {
            guard let name = item.scalar, !item.isNull, let used = include(name, at: item.location, from: path, stack: stack + [path]) else {
                continue
            }
            base = base.map { $0.merged(under: used) } ?? used
        }
        return base.map { $0.merged(under: node) } ?? node
    }

    /// A used recipe: a built-in name (`python-virtualenv`) or a path relative to the using file.
    private mutating func include(_ name: String, at location: SourceLocation, from path: String, stack: [String]) -> YAMLNode? {
        let isPath = name.contains("/") || name.hasSuffix(".yml") || name.hasSuffix(".yaml")
        let target: String
        if isPath {
            target = Self.normalized(name.hasPrefix("/") ? name : Self.directory(of: path) + name)
        } else if let directory = loader.recipesDirectory {
            target = (directory.hasSuffix("/") ? directory : directory + "/") + name + ".yml"
        } else {
            diagnostics.append(.error("unknown recipe '\(name)': no built-in recipes are installed", at: location,
                                      note: "set DEPLOYER_RECIPES to the directory that holds them"))
            return nil
        }
        if let start = stack.firstIndex(of: target) {
            let cycle = (stack[start...] + [target]).joined(separator: " -> ")
            diagnostics.append(.error("recipes use each other in a cycle: \(cycle)", at: location))
            return nil
        }
        let text: String
        do { text = try loader.readFile(target) } catch {
            if isPath {
                diagnostics.append(.error("cannot read recipe '\(name)' (\(target)): \(RecipeLoader.describe(error))", at: location))
            } else {
                let builtins = loader.recipesDirectory.map(loader.listDirectory)?.filter { $0.hasSuffix(".yml") }
                    .map { String($0.dropLast(4)) }.sorted() ?? []
                diagnostics.append(.error("unknown recipe '\(name)'" + Suggestion.didYouMean(name, in: builtins), at: location,
                                          note: builtins.isEmpty ? nil : "built-in recipes: " + builtins.joined(separator: ", ")))
            }
            return nil
        }
        return compose(text: text, path: target, stack: stack)
    }

    /// `path` without `.` components and with `dir/..` pairs folded, lexically
    /// (leading `..` stay): `app/./local/../x.yml` → `app/x.yml`.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != "..", !last.isEmpty {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// `dir/` of `dir/file`, or the empty string for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// `text` with every CR LF, lone CR and NEL written as LF. libyaml ends a line at each of them (and reads
    /// them as LF inside scalars, so nothing changes meaning), while locations, excerpts and the duplicate-key
    /// search count LF only: without this a CR LF or CR file's diagnostics pointed at the wrong line (found by
    /// Scripts/fuzz).
    static func normalizingLineBreaks(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\u{85}" }) else { return text }
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if scalar == "\n" && afterCR { continue }
            out.append(scalar == "\r" || scalar == "\u{85}" ? "\n" : scalar)
        }
        return String(out)
    }
}
