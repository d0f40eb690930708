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
        var parser = SSHConfigParser(homeDirectory: homeDirectory)
        items = parser.parse(text: text, path: path, depth: 0)
        if var error = parser.errors.first {
            error.otherErrors = Array(parser.errors.dropFirst())
            throw error
        }
        warnings = parser.warnings
    }

    /// Reads and parses the file at `path`; a missing file is an empty config.
    public static func load(path: String) throws(SSHConfigError) -> SSHConfig {
        try load(path: path, homeDirectory: NSHomeDirectory())
    }

    /// Reads and parses the file at `path`, reading relative `Include`s under `homeDirectory/.ssh`.
    public static func load(path: String, homeDirectory: String) throws(SSHConfigError) -> SSHConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            return try SSHConfig(text: "", path: path, homeDirectory: homeDirectory)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSHConfigError(path: path, line: 0, message: "cannot read the file; check its permissions, or pass another config file")
        }
        return try SSHConfig(text: String(decoding: data, as: UTF8.self), path: path, homeDirectory: homeDirectory)
    }

    /// The user's config, `~/.ssh/config`.
    public static var defaultPath: String {
        NSHomeDirectory() + "/.ssh/config"
    }

    /// The options OpenSSH would use to connect to `host`.
    ///
    /// OpenSSH semantics: first obtained value wins, Host patterns with `*` `?` and `!` negation,
    /// comma/space lists, `Match` ignored with a warning (except `Match all`), `Include` supported
    /// (glob, relative to ~/.ssh). An explicit `user` or `port` wins over the config. `${NAME}` in
    /// `IdentityFile` and `UserKnownHostsFile` is looked up in `environment` (unset names stay as written).
    public func resolve(
        host: String, user: String? = nil, port: Int? = nil, localUser: String, homeDirectory: String,
        environment: [String: String] = [:]
    ) -> ResolvedSSHOptions {
        var resolution = SSHConfigResolution(alias: host)
        var active = true
        resolution.evaluate(items, active: &active, neverMatch: false)

        let hostName = (resolution.hostName.map { SSHConfigTokens.expand($0, ["h": host]) } ?? host).lowercased()
        let finalPort = port ?? resolution.port ?? 22
        let finalUser = user ?? resolution.user ?? localUser
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
            identitiesOnly: resolution.identitiesOnly ?? false,
            connectTimeout: resolution.connectTimeout,
            serverAliveInterval: resolution.serverAliveInterval,
            serverAliveCountMax: resolution.serverAliveCountMax ?? 3,
            strictHostKeyChecking: resolution.strictHostKeyChecking,
            userKnownHostsFiles: userKnownHosts,
            globalKnownHostsFiles: resolution.globalKnownHostsFiles ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
            hostKeyAlias: hostKeyAlias, proxyJump: proxyJump
        )
    }
}
