import DeployerModel

/// The small top-level sections: `source`, `shell`, `shared`, `vars`, `envs`.
extension RecipeDecoder {
    mutating func source(_ node: YAMLNode) -> Source {
        let fallback = Source.git(path: ".", revision: nil)
        guard let f = fields(of: node, RecipeSchema.Source.self, in: "in 'source'") else { return fallback }
        let revision = f[.revision].flatMap { string($0.value) }
        switch (f[.git], f[.dir]) {
        case let (git?, nil):
            return .git(path: string(git.value, what: "a path") ?? ".", revision: revision,
                        submodules: f[.submodules].flatMap { bool($0.value) } ?? true)
        case let (nil, dir?):
            for key in [RecipeSchema.Source.revision, .submodules] {
                if let r = f[key] { error("'\(key.rawValue)' applies only to 'git' sources", at: r.key.location) }
            }
            return .dir(path: string(dir.value, what: "a path") ?? ".")
        case let (_?, dir?):
            error("'source' takes either 'git' or 'dir', not both", at: dir.key.location)
        case (nil, nil):
            error("'source' needs 'git: PATH' or 'dir: PATH'", at: node.location)
        }
        return fallback
    }

    /// `posix`, `login`, or a custom wrapper such as `zsh -lc`.
    mutating func shell(_ node: YAMLNode) -> RemoteShell {
        guard let text = string(node, what: "'posix', 'login' or a shell command like 'zsh -lc'") else { return .default }
        switch text {
        case "posix": return .posix
        case "login": return .login
        default:
            guard text.contains(" ") else {
                let hint = Suggestion.didYouMean(text, in: ["posix", "login"])
                error("unknown shell '\(text)'; expected 'posix', 'login' or a command with its flag like 'zsh -lc'" + hint,
                      at: node.location)
                return .default
            }
            return .custom(text)
        }
    }

    mutating func shared(_ node: YAMLNode) -> SharedPaths {
        guard let f = fields(of: node, RecipeSchema.Shared.self, in: "in 'shared'") else { return SharedPaths() }
        func paths(_ key: RecipeSchema.Shared) -> [String] {
            guard let value = f[key]?.value else { return [] }
            return names(value, what: "a list of paths").compactMap { path, location in
                guard !path.containsControlCharacter else {
                    error("shared paths must not contain a newline or other control character, found '\(path.escapingControlCharacters)'",
                          at: location)
                    return nil
                }
                guard relativePathIsValid(path) else {
                    error("shared paths are relative to the shared directory and stay inside it, found '\(path)'", at: location)
                    return nil
                }
                if let placeholder = Self.templatePlaceholder(in: path) {
                    error("shared paths are not templates, found '\(path)': hosts would get a path named '\(placeholder)'; "
                        + "write the path itself", at: location)
                    return nil
                }
                return path
            }
        }
        return SharedPaths(dirs: paths(.dirs), files: paths(.files))
    }

    func relativePathIsValid(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    /// `name: value` pairs; values are plain strings (numbers are kept as written).
    mutating func vars(_ node: YAMLNode) -> [String: String] {
        var result: [String: String] = [:]
        for entry in entries(of: node, what: "a mapping of variable names to values") {
            checkVariableName(entry.name, at: entry.key.location)
            if let value = string(entry.value, what: "a text value") { result[entry.name] = value }
        }
        return result
    }

    mutating func dependencyEnv(_ name: String, _ key: YAMLNode, _ node: YAMLNode) -> DependencyEnv? {
        let context = "in env '\(name)'"
        guard let f = fields(of: node, RecipeSchema.DependencyEnv.self, in: context) else { return nil }
        var keyFiles: [String] = []
        if let files = f[.key]?.value {
            keyFiles = names(files, what: "a list of files").map(\.name)
            if keyFiles.isEmpty, files.items != nil { error("'key' needs at least one file", at: files.location) }
        } else {
            missing("key", in: context, at: key.location)
        }
        guard let buildNode = f[.build]?.value else { missing("build", in: context, at: key.location); return nil }
        guard let build = template(buildNode, allowsEnvDir: true) else { return nil }
        let timeout = f[.timeout].flatMap { commandTimeout($0.value) }
        return DependencyEnv(name: name, keyFiles: keyFiles, build: build, timeoutSeconds: timeout, location: key.location)
    }
}
