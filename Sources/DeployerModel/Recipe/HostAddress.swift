/// A host as written in a recipe or on the command line: an ssh_config alias
/// (`web1`) or `user@host:port`; `[::1]:2222` brackets an IPv6 address.
public struct HostAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Exactly as written; the name the user sees in every output.
    public var name: String
    public var user: String?
    /// What ssh_config's `Host` patterns are matched against.
    public var host: String
    public var port: Int?

    public init(name: String, user: String?, host: String, port: Int?) {
        self.name = name
        self.user = user
        self.host = host
        self.port = port
    }

    public var description: String { name }

    /// Parses `[user@]host[:port]`; nil when the text is not a valid host.
    public init?(parsing text: String) {
        var rest = Substring(text)
        guard !rest.isEmpty, !rest.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else { return nil }
        var user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            if user!.isEmpty { return nil }
        }
        var port: Int?
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = rest.lastIndex(of: ":") {
            guard let p = Int(rest[rest.index(after: colon)...]) else { return nil }
            host = rest[..<colon]
            port = p
        } else {
            host = rest
        }
        if let p = port, !(1...65535).contains(p) { return nil }
        guard !host.isEmpty else { return nil }
        self.init(name: text, user: user, host: String(host), port: port)
    }
}
