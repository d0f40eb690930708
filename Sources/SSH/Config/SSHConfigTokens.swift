/// OpenSSH's `percent_expand` and `dollar_expand` over values the parser already validated.
enum SSHConfigTokens {
    /// Replaces `%x` with `values["x"]` (`%%` is a literal `%`), and, when `environment` is given,
    /// `${NAME}` with `environment["NAME"]`; tokens and names without a value are kept as written.
    static func expand(_ text: String, _ values: [Character: String], environment: [String: String]? = nil) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            if let environment, c == "$", i < chars.count, chars[i] == "{", let close = chars[i...].firstIndex(of: "}") {
                let name = String(chars[(i + 1)..<close])
                out += environment[name] ?? "${\(name)}"
                i = close + 1
            } else if c == "%", i < chars.count {
                let token = chars[i]
                i += 1
                out += token == "%" ? "%" : values[token] ?? "%\(token)"
            } else {
                out.append(c)
            }
        }
        return out
    }
}
