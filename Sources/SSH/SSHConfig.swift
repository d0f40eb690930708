import Foundation

/// A parsed ssh_config file (with its `Include`s), resolved per host the way OpenSSH does.
public struct SSHConfig: Sendable {
    /// Parses ssh_config text; `path` names the file in errors and anchors relative `Include`s.
    public init(text: String, path: String) throws(SSHConfigError) {
    }

    /// Reads and parses the file at `path`; a missing file is an empty config.
    public static func load(path: String) throws(SSHConfigError) -> SSHConfig {
        try SSHConfig(text: "", path: path)
    }

    /// The user's config, `~/.ssh/config`.
    public static var defaultPath: String {
        NSHomeDirectory() + "/.ssh/config"
    }

    /// The options OpenSSH would use to connect to `host`.
    ///
    /// OpenSSH semantics: first obtained value wins, Host patterns with `*` `?` and `!` negation,
    /// comma/space lists, `Match` refused or ignored with a warning, `Include` supported (glob, relative to ~/.ssh).
    public func resolve(host: String, user: String? = nil, port: Int? = nil, localUser: String, homeDirectory: String) -> ResolvedSSHOptions {
        ResolvedSSHOptions(
            alias: host, hostName: host, port: port ?? 22, user: user ?? localUser,
            identityFiles: ["id_ed25519", "id_ecdsa", "id_rsa"].map { homeDirectory + "/.ssh/" + $0 },
            identityFilesExplicit: false, identitiesOnly: false, connectTimeout: nil,
            serverAliveInterval: nil, serverAliveCountMax: 3, strictHostKeyChecking: nil,
            userKnownHostsFiles: [homeDirectory + "/.ssh/known_hosts", homeDirectory + "/.ssh/known_hosts2"],
            globalKnownHostsFiles: ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
            hostKeyAlias: nil, proxyJump: []
        )
    }
}
