/// OpenSSH's `match_pattern`: `*` matches any run of characters, `?` exactly one, all else literally.
///
/// Shared by ssh_config `Host` lines and known_hosts host patterns. Matching is linear-time
/// backtracking over the last `*`, so hostile patterns like `*a*a*a*b` cannot blow up.
enum WildcardPattern {
    /// Whether `pattern` matches the whole of `string` (byte-wise, case-sensitive).
    static func matches(_ string: Substring.UTF8View, pattern: Substring.UTF8View) -> Bool {
        let text = Array(string)
        let glob = Array(pattern)
        var t = 0
        var p = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < glob.count, glob[p] == UInt8(ascii: "*") {
                starP = p
                starT = t
                p += 1
            } else if p < glob.count, glob[p] == UInt8(ascii: "?") || glob[p] == text[t] {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < glob.count, glob[p] == UInt8(ascii: "*") {
            p += 1
        }
        return p == glob.count
    }

    /// Whether `pattern` matches the whole of `string`.
    static func matches(_ string: String, pattern: String) -> Bool {
        matches(Substring(string).utf8, pattern: Substring(pattern).utf8)
    }

    /// OpenSSH's `match_pattern_list`: a comma-separated list where `!pattern` negates.
    ///
    /// Returns `true` for a positive match, `false` for a negated match, nil for no match.
    static func matchList(_ string: String, list: String, lowercase: Bool) -> Bool? {
        let subject = lowercase ? string.lowercased() : string
        var matched = false
        for rawEntry in list.split(separator: ",", omittingEmptySubsequences: false) {
            var entry = lowercase ? Substring(rawEntry.lowercased()) : rawEntry
            let negated = entry.first == "!"
            if negated {
                entry = entry.dropFirst()
            }
            if matches(Substring(subject).utf8, pattern: entry.utf8) {
                if negated {
                    return false
                }
                matched = true
            }
        }
        return matched ? true : nil
    }
}
