/// The values obtained so far while walking a config for one host: OpenSSH's "first obtained value wins".
struct SSHConfigResolution {
    /// The name the user typed, matched against `Host` patterns.
    let alias: String
    /// The local user, for `Match localuser` and as the remote user when none is set.
    let localUser: String
    var hostName: String?
    var port: Int?
    var user: String?
    var identityFiles: [String] = []
    var certificateFiles: [String] = []
    var identitiesOnly: Bool?
    var connectTimeout: Int?
    var serverAliveInterval: Int?
    var serverAliveCountMax: Int?
    var connectionAttempts: Int?
    var strictHostKeyChecking: HostKeyPolicy?
    var userKnownHostsFiles: [String]?
    var globalKnownHostsFiles: [String]?
    var hostKeyAlias: String?
    var hashKnownHosts: Bool?
    var identityAgent: String?
    var proxyJump: [String]?
    var proxyCommand: String?
    var algorithms: [SSHAlgorithmKind: SSHAlgorithmSetting] = [:]
    /// The first value obtained for each refused keyword; nil where it was harmless.
    var refusals: [String: SSHConfigRefusal?] = [:]

    /// Starts with the explicit user and port, which win over the config (OpenSSH sets them before reading it).
    init(alias: String, localUser: String, user: String?, port: Int?) {
        self.alias = alias
        self.localUser = localUser
        self.user = user
        self.port = port
    }

    /// Walks items as OpenSSH's `read_config_file_depth` does: `Host`/`Match` switch the active flag,
    /// an included file starts active only if its `Include` line was, and activity is restored after it.
    mutating func evaluate(_ items: [SSHConfigItem], active: inout Bool, neverMatch: Bool) {
        for item in items {
            switch item {
            case .host(let patterns):
                active = !neverMatch && hostMatches(patterns)
            case .match(let criteria):
                active = !neverMatch && (criteria?.allSatisfy(matches) ?? false)
            case .setting(let setting):
                if active {
                    apply(setting)
                }
            case .include(let files):
                let outerActive = active
                for file in files {
                    var fileActive = outerActive && !neverMatch
                    evaluate(file, active: &fileActive, neverMatch: neverMatch || !outerActive)
                }
                active = outerActive
            }
        }
    }

    /// A `Host` line matches when some pattern matches and no `!pattern` does.
    private func hostMatches(_ patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if WildcardPattern.matches(alias, pattern: String(pattern.dropFirst())) {
                    return false
                }
            } else if WildcardPattern.matches(alias, pattern: pattern) {
                matched = true
            }
        }
        return matched
    }

    /// OpenSSH's `match_cfg_line` for one criterion, against the values obtained so far.
    private func matches(_ criterion: SSHConfigMatchCriterion) -> Bool {
        switch criterion {
        case .all:
            return true
        case .host(let patterns, let negated):
            let name = hostName.map { SSHConfigTokens.expand($0, ["h": alias]) } ?? alias
            return (WildcardPattern.matchList(name, list: patterns, lowercase: true) == true) != negated
        case .originalHost(let patterns, let negated):
            return (WildcardPattern.matchList(alias, list: patterns, lowercase: true) == true) != negated
        case .user(let patterns, let negated):
            return (WildcardPattern.matchList(user ?? localUser, list: patterns, lowercase: false) == true) != negated
        case .localUser(let patterns, let negated):
            return (WildcardPattern.matchList(localUser, list: patterns, lowercase: false) == true) != negated
        }
    }

    private mutating func apply(_ setting: SSHConfigSetting) {
        switch setting {
        case .hostName(let value): hostName = hostName ?? value
        case .port(let value): port = port ?? value
        case .user(let value): user = user ?? value
        case .identityFile(let value):
            if !identityFiles.contains(value) {
                identityFiles.append(value)
            }
        case .certificateFile(let value):
            if !certificateFiles.contains(value) {
                certificateFiles.append(value)
            }
        case .identitiesOnly(let value): identitiesOnly = identitiesOnly ?? value
        case .connectTimeout(let value): connectTimeout = connectTimeout ?? value
        case .serverAliveInterval(let value): serverAliveInterval = serverAliveInterval ?? value
        case .serverAliveCountMax(let value): serverAliveCountMax = serverAliveCountMax ?? value
        case .connectionAttempts(let value): connectionAttempts = connectionAttempts ?? value
        case .strictHostKeyChecking(let value): strictHostKeyChecking = strictHostKeyChecking ?? value
        case .userKnownHostsFiles(let value): userKnownHostsFiles = userKnownHostsFiles ?? value
        case .globalKnownHostsFiles(let value): globalKnownHostsFiles = globalKnownHostsFiles ?? value
        case .hostKeyAlias(let value): hostKeyAlias = hostKeyAlias ?? value
        case .hashKnownHosts(let value): hashKnownHosts = hashKnownHosts ?? value
        case .identityAgent(let value): identityAgent = identityAgent ?? value
        case .proxyJump(let hops):
            if proxyCommand == nil {
                proxyJump = proxyJump ?? hops
            }
        case .proxyCommand(let command):
            if proxyJump == nil {
                proxyCommand = proxyCommand ?? command
            }
        case .algorithms(let setting):
            if algorithms[setting.kind] == nil {
                algorithms[setting.kind] = setting
            }
        case .refusable(let keyword, let refusal):
            if refusals.index(forKey: keyword) == nil {
                refusals.updateValue(refusal, forKey: keyword)
            }
        }
    }
}
