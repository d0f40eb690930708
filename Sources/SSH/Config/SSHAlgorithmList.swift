/// OpenSSH's syntax for an algorithm list in ssh_config (`kex_assemble_names`): a plain list
/// replaces the default; `+list` appends to it, `-list` removes from it, `^list` puts names at
/// its head. Names not deployer can use are left out; `*` and `?` match as in `Host` patterns.
enum SSHAlgorithmList {
    /// What is wrong with `spec` as the value of `kind`'s keyword, as `ssh` would refuse it; nil
    /// when it is well formed. Names must be ones OpenSSH knows (patterns must match one), except
    /// in a `-` list, which OpenSSH does not check either.
    static func problem(in spec: String, kind: SSHAlgorithmKind) -> String? {
        let prefix = spec.first.flatMap { "+-^".contains($0) ? $0 : nil }
        let body = prefix == nil ? Substring(spec) : spec.dropFirst()
        let names = body.split(separator: ",", omittingEmptySubsequences: false)
        if names.contains(where: \.isEmpty) {
            return "'\(kind.rawValue)' has an empty name in '\(spec)'; separate names with single commas, no spaces"
        }
        if let negated = names.first(where: { $0.hasPrefix("!") }) {
            return "'\(kind.rawValue)' does not take negated names ('\(negated)'); remove names with a '-' list, e.g. '-\(negated.dropFirst())'"
        }
        guard prefix != "-" else { return nil }
        for name in names.map(String.init) {
            let pattern = name.contains("*") || name.contains("?")
            let known = pattern && kind.acceptsPatterns
                ? kind.openSSHNames.contains { WildcardPattern.matches($0, pattern: name) }
                : kind.openSSHNames.contains(name)
            if !known {
                let why = !pattern ? "OpenSSH knows no such name"
                    : kind.acceptsPatterns ? "the pattern matches no name OpenSSH knows"
                    : "patterns are allowed only in HostKeyAlgorithms, PubkeyAcceptedAlgorithms and '-' lists"
                return "unknown \(kind.noun) '\(name)' in '\(kind.rawValue)' (\(why)); `ssh -Q \(kind.rawValue)` lists them"
            }
        }
        return nil
    }

    /// The names offered for `spec` (well formed: `problem(in:kind:)` is nil), built on
    /// `defaults` from the names in `available`, best first; empty when none is left.
    static func assemble(_ spec: String, defaults: [String], available: [String]) -> [String] {
        let patterns: [Substring]
        switch spec.first {
        case "-":
            let removed = String(spec.dropFirst())
            return defaults.filter { WildcardPattern.matchList($0, list: removed, lowercase: false) != true }
        case "+":
            patterns = defaults.map { Substring($0) } + spec.dropFirst().split(separator: ",")
        case "^":
            patterns = spec.dropFirst().split(separator: ",") + defaults.map { Substring($0) }
        default:
            patterns = spec.split(separator: ",")
        }
        var names: [String] = []
        for pattern in patterns {
            for name in available where !names.contains(name) && WildcardPattern.matches(name, pattern: String(pattern)) {
                names.append(name)
            }
        }
        return names
    }

    /// The names offered for `kind` when its keyword is set to `spec`.
    static func assemble(_ spec: String, kind: SSHAlgorithmKind) -> [String] {
        assemble(spec, defaults: kind.defaultNames, available: kind.libssh2Names)
    }
}
