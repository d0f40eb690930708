import DeployerModel
import Foundation

/// Reads the merged YAML tree of a recipe into a `Recipe`, checking types and
/// keys section by section (`RecipeSchema`). Every problem is collected; the
/// decoder goes on with defaults so that later sections are checked too.
/// Cross-references (roles, needs, template names) are `RecipeValidator`'s job,
/// fed by the side tables kept here.
struct RecipeDecoder {
    /// Text of every file, to map offsets inside a scalar to columns.
    let sources: [String: String]
    var diagnostics: [Diagnostic] = []
    var templates: [TemplateUse] = []
    var taskReferences: [String: TaskReferences] = [:]
    /// Where each environment's `hosts` is written (for the role parity check).
    var hostsLocations: [String: SourceLocation] = [:]
    /// `context|key` of keys suggested for a misspelling, so "missing key" is not reported as well.
    var misspelled = Set<String>()

    init(sources: [String: String]) { self.sources = sources }

    mutating func error(_ message: String, at location: SourceLocation, note: String? = nil, fixIt: String? = nil) {
        diagnostics.append(.error(message, at: location, note: note, fixIt: fixIt))
    }

    /// Whether `path` lies inside `directory`, both as written in the recipe `file` (relative to its folder).
    static func isPath(_ path: String, inside directory: String, of file: String) -> Bool {
        let folder = (file as NSString).deletingLastPathComponent
        func segments(_ written: String) -> [Substring] {
            var kept: [Substring] = []
            for part in (written.hasPrefix("/") ? written : folder + "/" + written).split(separator: "/") where part != "." {
                if part == "..", let last = kept.last, last != ".." { kept.removeLast() } else { kept.append(part) }
            }
            return kept
        }
        let (inner, outer) = (segments(path), segments(directory))
        // `..` remains only at the start: past `outer`, one means a path above it.
        return inner.count > outer.count && Array(inner.prefix(outer.count)) == outer && inner[outer.count] != ".."
    }

    /// The whole recipe; nil only when the document is not a mapping at all.
    mutating func decode(_ root: YAMLNode, file: String) -> Recipe? {
        guard let top = fields(of: root, RecipeSchema.TopLevel.self, in: "at top level") else { return nil }
        var app = "app"
        if let node = top[.app]?.value {
            app = string(node) ?? app
        } else {
            missing("app", in: "at top level", at: root.location)
        }
        var deployTo = "/srv/\(app)"
        if let node = top[.deployTo]?.value, let path = string(node) {
            if let problem = Self.deployToProblem(path) { error(problem, at: node.location) } else { deployTo = path }
        } else if top[.deployTo] == nil {
            missing("deploy_to", in: "at top level", at: root.location)
        }
        var recipe = Recipe(file: file, app: app, source: top[.source].map { source($0.value) } ?? .git(path: ".", revision: nil),
                            deployTo: deployTo, sources: sources)
        if let node = top[.keepReleases]?.value, let n = integer(node, minimum: 1) { recipe.keepReleases = n }
        if let node = top[.lockTTL]?.value, let seconds = duration(node) {
            let range = LockLease.ttlRange
            if Double(range.lowerBound)...Double(range.upperBound) ~= seconds {
                recipe.lockTTLSeconds = Int(seconds.rounded(.up))
            } else {
                error("lock_ttl must be from \(range.lowerBound)s to 24h, found '\(node.scalar ?? "")': a lease shorter than a few "
                    + "heartbeats could go stale under a run that gets on, and hosts believe none past a day", at: node.location)
            }
        }
        if let node = top[.shell]?.value { recipe.shell = shell(node) }
        if let node = top[.shared]?.value { recipe.shared = shared(node) }
        if let node = top[.vars]?.value { recipe.vars = vars(node) }
        if let node = top[.secrets]?.value {
            let secrets = names(node, what: "a list of secret names")
            for secret in secrets {
                checkVariableName(secret.name, at: secret.location)
                if secret.name.contains(".") {
                    // Secrets reach commands as exported shell variables (see Template.render).
                    error("secret name '\(secret.name)' must be a shell variable name: letters, digits and '_'", at: secret.location)
                }
            }
            recipe.secrets = secrets.map(\.name)
        }
        if let node = top[.secretsFile]?.value, let path = string(node, what: "a file path") {
            let directory = (file as NSString).deletingLastPathComponent
            let absolute = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
            recipe.secretsFile = SecretsFile(path: (absolute as NSString).standardizingPath, location: node.location)
            if case let .dir(shipped) = recipe.source, Self.isPath(path, inside: shipped, of: file) {
                error("secrets_file '\(path)' is inside the source directory '\(shipped)', which is shipped whole to every host: "
                    + "each release would hold every secret in it, readable there", at: node.location,
                      note: "the secrets file is read on the controller only; keep it outside '\(shipped)'")
            }
        }
        if let use = top[.use]?.value { _ = names(use, what: "a list of recipe names or paths") }
        if let node = top[.envs]?.value {
            recipe.dependencyEnvs = entries(of: node, what: "a mapping of env names to envs").compactMap {
                checkName($0.name, kind: "env", at: $0.key.location)
                return dependencyEnv($0.name, $0.key, $0.value)
            }
        }
        if let node = top[.environments]?.value {
            recipe.environments = entries(of: node, what: "a mapping of environment names to environments")
                .compactMap {
                    checkName($0.name, kind: "environment", at: $0.key.location)
                    return environment($0.name, $0.key, $0.value)
                }
            if node.isNull || node.pairs?.isEmpty == true { error("declare at least one environment", at: node.location) }
        } else {
            missing("environments", in: "at top level", at: root.location)
        }
        if let node = top[.notify]?.value { recipe.notify = notifyHooks(node) }
        if let node = top[.maintenance]?.value, let f = fields(of: node, RecipeSchema.Maintenance.self, in: "in maintenance") {
            if f[.on] == nil { missing("on", in: "in maintenance", at: node.location) }
            if f[.off] == nil { missing("off", in: "in maintenance", at: node.location) }
            if let on = f[.on].flatMap({ template($0.value) }), let off = f[.off].flatMap({ template($0.value) }) {
                recipe.maintenance = MaintenanceCommands(on: on, off: off, location: node.location)
            }
        }
        if let node = top[.tasks]?.value {
            recipe.tasks = entries(of: node, what: "a mapping of task names to tasks").compactMap {
                checkName($0.name, kind: "task", at: $0.key.location)
                return task($0.name, $0.key, $0.value)
            }
        }
        return recipe
    }

    /// Reports a missing key, unless an unknown key nearby was already reported as its misspelling.
    mutating func missing(_ key: String, in context: String, at location: SourceLocation) {
        guard !misspelled.contains("\(context)|\(key)") else { return }
        error("missing required key '\(key)' \(context)", at: location)
    }

    /// The known keys of a mapping section; unknown keys are reported with a suggestion.
    mutating func fields<Key: RecipeSchema.Section>(of node: YAMLNode, _: Key.Type, in context: String) -> [Key: YAMLNode.Pair]? {
        guard let pairs = node.pairs else {
            error("expected a mapping \(context), found \(node.kindDescription)", at: node.location)
            return nil
        }
        var result: [Key: YAMLNode.Pair] = [:]
        for pair in pairs {
            guard let name = keyName(pair.key) else { continue }
            if let key = Key(rawValue: name) {
                result[key] = pair
            } else if Key.self == RecipeSchema.TopLevel.self, name.hasPrefix("x-") {
                continue // An extension key: a place to hold YAML anchors (as in Compose files).
            } else if name == "<<" {
                error("YAML merge keys ('<<') are not supported", at: pair.key.location,
                      note: "share settings between files with 'use:', or repeat them; anchors and aliases (&a, *a) do work")
            } else {
                let suggestion = RecipeSchema.suggestion(for: name, in: Key.self)
                if let suggestion { misspelled.insert("\(context)|\(suggestion)") }
                error("unknown key '\(name)' \(context)" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                      at: pair.key.location, fixIt: suggestion)
            }
        }
        return result
    }

    /// The entries of a name → value mapping (environments, tasks, vars, roles), in order.
    mutating func entries(of node: YAMLNode, what: String) -> [(name: String, key: YAMLNode, value: YAMLNode)] {
        guard let pairs = node.pairs else {
            if !node.isNull { error("expected \(what), found \(node.kindDescription)", at: node.location) }
            return []
        }
        return pairs.compactMap { pair in keyName(pair.key).map { ($0, pair.key, pair.value) } }
    }

    mutating func keyName(_ key: YAMLNode) -> String? {
        guard let name = key.scalar, !key.isNull else {
            error("expected a name as key, found \(key.kindDescription)", at: key.location)
            return nil
        }
        return name
    }

    /// Names of environments, roles, tasks and envs end up in directory names,
    /// command lines and graphs: letters, digits, `_`, `-` and `.`, not starting with `-` or `.`.
    mutating func checkName(_ name: String, kind: String, at location: SourceLocation) {
        let valid = !name.isEmpty && !name.hasPrefix("-") && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
        if !valid { error("invalid \(kind) name '\(name)'; use letters, digits, '_', '-' and '.'", at: location) }
    }

    /// Names usable in templates: letters, digits, `_` and `.`, not starting with a digit.
    mutating func checkVariableName(_ name: String, at location: SourceLocation) {
        if (try? Template(parsing: "{{\(name)}}")) == nil || name.contains("}") {
            error("invalid variable name '\(name)'; use letters, digits, '_' and '.'", at: location)
        } else if RecipeSchema.builtinVariables.contains(name) || name == RecipeSchema.envDirVariable {
            error("'\(name)' is a built-in variable and cannot be redefined", at: location)
        }
    }
}
