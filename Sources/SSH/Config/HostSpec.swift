/// `[user@]host[:port]` as written on a command line or in `ProxyJump` (`[::1]:2222` brackets IPv6).
struct HostSpec: Equatable {
    var user: String?
    var host: String
    var port: Int?

    /// Splits the text; anything that does not parse as a port stays part of the host name.
    init(parsing text: String) {
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            port = Int(rest[rest.index(after: close)...].dropFirst())
        } else if let colon = rest.lastIndex(of: ":"), let number = Int(rest[rest.index(after: colon)...]) {
            host = String(rest[..<colon])
            port = number
        } else {
            host = String(rest)
        }
    }
}
