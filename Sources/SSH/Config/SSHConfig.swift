import Foundation

/// A parsed ssh_config file (with its `Include`s), resolved per host the way OpenSSH does.
///
/// Parsing validates every directive deployer acts on, in every block, and refuses unknown
/// keywords as `ssh` does, so a typo surfaces as `path:line: message` before any connection.
public struct SSHConfig: Sendable {
    /// Problems that did not stop parsing, e.g. `Match` blocks deployer ignores; `path:line: message` each.
    public let warnings: [String]
    private let items: [SSHConfigItem]

    /// Parses ssh_config text; `path` names the file in errors; `Include`s are read relative to `~/.ssh`
    /// of the current user.
    public init(text: String, path: String) throws(SSHConfigError) {
        try self.init(text: text, path: path, homeDirectory: NSHomeDirectory())
    }

    /// Parses ssh_config text, reading relative `Include`s under `homeDirectory/.ssh`.
    public init(text: String, path: String, homeDirectory: String) throws(SSHConfigError) {
        var parser = SSHConfigParser(homeDirectory: homeDirectory, includeDirectory: homeDirectory + "/.ssh")
        try self.init(items: parser.parse(text: text, path: path, depth: 0), parser: parser)
    }

    private init(items: [SSHConfigItem], parser: SSHConfigParser) throws(SSHConfigError) {
        if var error = parser.errors.first {
            error.otherErrors = Array(parser.errors.dropFirst())
            throw error
        }
        self.items = items
        warnings = parser.warnings
    }

    /// Reads and parses the file at `path`; a missing file is an empty config.
    public static func load(path: String) throws(SSHConfigError) -> SSHConfig {
        try load(path: path, homeDirectory: NSHomeDirectory())
    }

    /// Reads and parses the file at `path`, reading relative `Include`s under `homeDirectory/.ssh`.
    public static func load(path: String, homeDirectory: String) throws(SSHConfigError) -> SSHConfig {
        var parser = SSHConfigParser(homeDirectory: homeDirectory, includeDirectory: homeDirectory + "/.ssh")
        return try SSHConfig(items: read(path, with: &parser), parser: parser)
    }

    /// Reads the user's config and then the system-wide one, as `ssh` does when not given `-F`:
    /// values from the user's file win, and the system file's relative `Include`s are under `/etc/ssh`.
    /// Either file may be missing.
    public static func load(userPath: String, systemPath: String, homeDirectory: String) throws(SSHConfigError) -> SSHConfig {
        var userParser = SSHConfigParser(homeDirectory: homeDirectory, includeDirectory: homeDirectory + "/.ssh")
        let userItems = read(userPath, with: &userParser)
        var systemParser = SSHConfigParser(homeDirectory: homeDirectory, includeDirectory: (systemPath as NSString).deletingLastPathComponent)
        let systemItems = read(systemPath, with: &systemParser)
        var combined = userParser
        combined.absorb(systemParser)
        // Each file starts active, whatever Host block the previous one ended in: wrap both as includes.
        return try SSHConfig(items: [.include([userItems, systemItems])], parser: combined)
    }

    /// The items of the file at `path`; a missing file has none, an unreadable one is an error in `parser`.
    private static func read(_ path: String, with parser: inout SSHConfigParser) -> [SSHConfigItem] {
        guard FileManager.default.fileExists(atPath: path) else {
            return []
        }
        guard let bytes = FileContents.bytes(of: path) else {
            parser.record(SSHConfigError(path: path, line: 0, message: "cannot read the file; check its permissions, or pass another config file"))
            return []
        }
        return parser.parse(text: String(decoding: bytes, as: UTF8.self), path: path, depth: 0)
    }

    /// The system-wide client config OpenSSH reads after the user's.
    public static let systemPath = "/etc/ssh/ssh_config"

    /// The user's config, `~/.ssh/config`.
    public static var defaultPath: String {
        NSHomeDirectory() + "/.ssh/config"
    }

    /// The options OpenSSH would use to connect to `host`.
    ///
    /// OpenSSH semantics: first obtained value wins, Host patterns with `*` `?` and `!` negation,
    /// comma/space lists, `Match` on host, originalhost, user and localuser (a `Match exec` block is ignored
    /// with a warning), `Include` supported
    /// (glob, relative to ~/.ssh). An explicit `user` or `port` wins over the config. `${NAME}` in
    /// `IdentityFile` and `UserKnownHostsFile` is looked up in `environment` (unset names stay as written).
    public func resolve(
        host: String, user: String? = nil, port: Int? = nil, localUser: String, homeDirectory: String,
        environment: [String: String] = [:]
    ) -> ResolvedSSHOptions {
        var resolution = SSHConfigResolution(alias: host, localUser: localUser, user: user, port: port)
        var active = true
        resolution.evaluate(items, active: &active, neverMatch: false)

        let hostName = (resolution.hostName.map { SSHConfigTokens.expand($0, ["h": host]) } ?? host).lowercased()
        let finalPort = resolution.port ?? 22
        let finalUser = resolution.user ?? localUser
        let hostKeyAlias = resolution.hostKeyAlias?.lowercased()
        let proxyJump = resolution.proxyJump ?? []
        let tokens: [Character: String] = [
            "d": homeDirectory, "h": hostName, "j": proxyJump.joined(separator: ","), "k": hostKeyAlias ?? host,
            "n": host, "p": String(finalPort), "r": finalUser, "u": localUser,
        ]
        func expandPath(_ path: String) -> String {
            SSHConfigTokens.expand(SSHConfigPaths.expandTilde(path, homeDirectory: homeDirectory), tokens, environment: environment)
        }
        let explicit = !resolution.identityFiles.isEmpty
        let identityFiles = explicit
            ? resolution.identityFiles.map(expandPath)
            : ["id_ed25519", "id_ecdsa", "id_rsa"].map { homeDirectory + "/.ssh/" + $0 }
        let userKnownHosts = resolution.userKnownHostsFiles.map { $0.map(expandPath) }
            ?? [homeDirectory + "/.ssh/known_hosts", homeDirectory + "/.ssh/known_hosts2"]

        return ResolvedSSHOptions(
            alias: host, hostName: hostName, port: finalPort, user: finalUser,
            identityFiles: identityFiles, identityFilesExplicit: explicit,
            certificateFiles: resolution.certificateFiles.map(expandPath),
            identitiesOnly: resolution.identitiesOnly ?? false,
            connectTimeout: resolution.connectTimeout,
            serverAliveInterval: resolution.serverAliveInterval,
            serverAliveCountMax: resolution.serverAliveCountMax ?? 3,
            connectionAttempts: resolution.connectionAttempts ?? 1,
            strictHostKeyChecking: resolution.strictHostKeyChecking,
            userKnownHostsFiles: userKnownHosts,
            globalKnownHostsFiles: resolution.globalKnownHostsFiles ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
            hostKeyAlias: hostKeyAlias, proxyJump: proxyJump, hashKnownHosts: resolution.hashKnownHosts ?? false,
            proxyCommand: resolution.proxyCommand.flatMap { $0.lowercased() == "none" ? nil : $0 },
            identityAgent: resolution.identityAgent.map { agent in
                agent == "none" || agent == "SSH_AUTH_SOCK" || (agent.hasPrefix("$") && !agent.hasPrefix("${")) ? agent : expandPath(agent)
            },
            algorithms: resolution.algorithms,
            refusedSettings: (resolution.refusals.values.compactMap { $0 } + resolution.algorithms.values.compactMap(\.refusal))
                .sorted { ($0.path, $0.line) < ($1.path, $1.line) }
        )
    }
}
