/// One hop of a `ProxyJump` list: `[user@]host[:port]`, `[user@][v6addr][:port]` or `ssh://[user@]host[:port]`.
///
/// The host may itself be an ssh_config alias: resolve it with `SSHConfig.resolve`, passing
/// `user` and `port` as the explicit values (they win over the config, as in OpenSSH).
public struct ProxyJumpHop: Sendable, Hashable {
    /// The user, when the hop names one.
    public var user: String?
    /// The host name, address or alias.
    public var host: String
    /// The port, when the hop names one.
    public var port: Int?

    /// Creates a hop from its parts.
    public init(user: String?, host: String, port: Int?) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// Parses a hop as OpenSSH's `parse_jump` accepts it; nil when OpenSSH would say "Invalid ProxyJump".
    public init?(_ spec: String) {
        var rest = Substring(spec)
        if rest.lowercased().hasPrefix("ssh://") {
            rest = rest.dropFirst(6)
            if rest.hasSuffix("/") {
                rest = rest.dropLast()
            }
            guard !rest.contains("/") else {
                return nil
            }
        }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            guard user?.isEmpty == false else {
                return nil
            }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                return nil
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                return nil
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else {
            let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count > 1 ? parts[1] : nil
        }
        var port: Int?
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else {
                return nil
            }
            port = number
        }
        guard !host.isEmpty else {
            return nil
        }
        self.init(user: user, host: String(host), port: port)
    }
}
