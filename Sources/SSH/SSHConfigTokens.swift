/// OpenSSH's `percent_expand` over the tokens the parser already validated (`%%` is a literal `%`).
enum SSHConfigTokens {
    /// Replaces `%x` with `values["x"]`; tokens without a value are kept as written.
    static func expand(_ text: String, _ values: [Character: String]) -> String {
        var out = ""
        var chars = text.makeIterator()
        while let c = chars.next() {
            guard c == "%", let token = chars.next() else {
                out.append(c)
                continue
            }
            if token == "%" {
                out.append("%")
            } else if let value = values[token] {
                out += value
            } else {
                out += "%\(token)"
            }
        }
        return out
    }
}
