import DeployerModel

extension ResolvedEnvironment {
    /// What deployer's own host scripts need on every host: the shell that reads them, and the
    /// tools they call (extracting the artifact, verifying its checksum, making directories).
    public static let scriptTools = ["sh", "tar", "sha256sum", "mkdir", "ln", "mv", "rm"]

    /// The programs this environment's commands start on `host`, by name, sorted: deployer's
    /// own tools, the shell wrapper's program (`bash` for `shell: login`), and the first word of
    /// each simple command in the env builds, the host tasks of `host`'s roles, its health check
    /// and the drain hooks run on it, when that word is a bare program name (`python3 -m venv …` gives `python3`; a path
    /// such as `venv/bin/python`, a template or a shell keyword gives nothing).
    ///
    /// `deployer doctor` asks the hosts for these, so a missing interpreter is found before a push
    /// fails on it. Words inside strings or substitutions are not followed: this is a reading of
    /// the recipe's commands, not a shell parser.
    public func programs(on host: FleetHost) -> [String] {
        var commands: [Template] = dependencyEnvs.map(\.build)
        for task in tasks where !task.local && task.applies(to: host) {
            commands += [task.run] + [task.unless, task.onlyIf].compactMap { $0 }
        }
        switch health(for: host)?.probe {
        case let .command(run)?: commands.append(run)
        case .http?: commands.append(Template(literal: "curl"))
        case nil: break
        }
        for hook in [rolling.drain, rolling.undrain].compactMap({ $0 }) where hook.target == .switchedHost {
            commands.append(hook.run)
        }
        var programs = Set(Self.scriptTools)
        switch shell {
        case .posix: break
        case .login: programs.insert("bash")
        case let .custom(wrapper): Self.firstProgram(of: wrapper).map { _ = programs.insert($0) }
        }
        for command in commands {
            programs.formUnion(Self.commandNames(in: Self.literalText(of: command)))
        }
        return programs.sorted()
    }

    /// The template's text with every placeholder replaced by a marker no program name contains.
    static func literalText(of template: Template) -> String {
        template.segments.map {
            switch $0 {
            case let .text(text): text
            case .variable: "{{}}"
            }
        }.joined()
    }

    /// First words of the simple commands in `text`, split at `;`, `&&`, `||`, `|`, `(`, `)` and
    /// line ends, keeping bare program names only.
    static func commandNames(in text: String) -> [String] {
        let separators: Set<Character> = [";", "&", "|", "(", ")", "\n"]
        return text.split(whereSeparator: { separators.contains($0) }).compactMap { firstProgram(of: String($0)) }
    }

    /// The program a simple command starts, after any `VAR=value` assignments and the control
    /// keywords before it (`then make` starts make); nil for builtins, paths and templated words.
    static func firstProgram(of command: String) -> String? {
        let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let word = words.first(where: { !$0.contains("=") && !leadingKeywords.contains($0) }) else { return nil }
        let isName = word.first?.isLetter == true
            && word.allSatisfy { $0.isLetter || $0.isNumber || "._+-".contains($0) }
        return isName && !shellWords.contains(word) ? word : nil
    }

    /// Words that may come before a command's program in a POSIX shell.
    static let leadingKeywords: Set<String> = ["if", "then", "else", "elif", "while", "until", "do", "!", "{"]

    /// Keywords and builtins of a POSIX shell: never programs to look for.
    static let shellWords: Set<String> = [
        "fi", "for", "done", "case", "esac", "in", "}",
        "cd", "export", "set", "unset", "exec", "exit", "return", "test", "echo", "printf", "read", "true",
        "false", "local", "shift", "trap", "wait", "eval", "command", "type", "umask", "ulimit", "alias",
    ]
}
