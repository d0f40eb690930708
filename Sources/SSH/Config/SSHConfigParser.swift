import Foundation

/// Turns ssh_config text into `SSHConfigItem`s with OpenSSH's tokenising rules, following `Include`s.
///
/// Values are validated here, in every block, matching or not (OpenSSH does the same), so a
/// typo is reported once at load time rather than only for the host that happens to hit it.
struct SSHConfigParser {
    /// Directory that `~` stands for.
    let homeDirectory: String
    /// Where relative `Include`s are looked up: `~/.ssh` for a user config, `/etc/ssh` for the system one.
    let includeDirectory: String
    /// Problems that do not stop parsing (e.g. ignored `Match` blocks), as `path:line: message`.
    private(set) var warnings: [String] = []
    /// Lines refused so far, in the order read (an included file's errors at its `Include` line's place).
    private(set) var errors: [SSHConfigError] = []
    /// `IgnoreUnknown` patterns seen so far: unknown keywords matching them are skipped.
    private var ignoreUnknown: [String] = []

    /// Same limit as OpenSSH's READCONF_MAX_DEPTH.
    private static let maxIncludeDepth = 16
    /// Tokens OpenSSH accepts in paths (`IdentityFile`, `UserKnownHostsFile`), and those deployer expands.
    private static let openSSHPathTokens: Set<Character> = ["%", "C", "d", "h", "i", "j", "k", "L", "l", "n", "p", "r", "u"]
    private static let supportedPathTokens: Set<Character> = ["%", "d", "h", "j", "k", "n", "p", "r", "u"]

    init(homeDirectory: String, includeDirectory: String) {
        self.homeDirectory = homeDirectory
        self.includeDirectory = includeDirectory
    }

    /// Adds a problem found outside the text itself (e.g. an unreadable file).
    mutating func record(_ error: SSHConfigError) {
        errors.append(error)
    }

    /// Takes over another parser's warnings and errors, after this one's.
    mutating func absorb(_ other: SSHConfigParser) {
        warnings += other.warnings
        errors += other.errors
    }

    /// Parses one file's text; `depth` counts nested `Include`s. A bad line is recorded in `errors`
    /// and skipped, so one run reports every problem (as `ssh` does before "terminating").
    mutating func parse(text: String, path: String, depth: Int) -> [SSHConfigItem] {
        var items: [SSHConfigItem] = []
        var lineNumber = 0
        // Split on LF bytes: a CRLF pair is one Character, so splitting the String on "\n" would miss it.
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let location = (path: path, line: lineNumber)
            do throws(SSHConfigError) {
                guard let (keyword, args, rest) = try Self.tokenize(Substring(String(decoding: bytes, as: UTF8.self)), at: location) else {
                    continue
                }
                if let item = try item(keyword: keyword, args: args, rest: rest, at: location, depth: depth) {
                    items.append(item)
                }
            } catch {
                errors.append(error)
            }
        }
        return items
    }

    /// Splits a line into its keyword (as written) and arguments (OpenSSH's `strdelim` + `argv_split`),
    /// and the text after the keyword as written (what OpenSSH keeps for `ProxyCommand`); nil for
    /// blank and comment lines.
    private static func tokenize(_ line: Substring, at location: (path: String, line: Int)) throws(SSHConfigError) -> (String, [String], String)? {
        let chars = Array(line)
        var i = 0
        func skipBlanks() {
            while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\r" || chars[i] == "\u{0C}" {
                i += 1
            }
        }
        skipBlanks()
        guard i < chars.count, chars[i] != "#" else {
            return nil
        }
        var keyword = ""
        while i < chars.count, !" \t\r\u{0C}=".contains(chars[i]) {
            keyword.append(chars[i])
            i += 1
        }
        skipBlanks()
        if i < chars.count, chars[i] == "=" {
            i += 1
            skipBlanks()
        }
        guard !keyword.isEmpty else {
            throw SSHConfigError(path: location.path, line: location.line, message: "line starts with '=' but no keyword; write 'Keyword value'")
        }
        let rest = String(String(chars[i...].drop { " \t=".contains($0) }).reversed().drop { " \t\r\u{0C}".contains($0) }.reversed())
        var args: [String] = []
        while i < chars.count {
            skipBlanks()
            guard i < chars.count, chars[i] != "#" else {
                break
            }
            var arg = ""
            var quote: Character?
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count, chars[i + 1] == "'" || chars[i + 1] == "\"" || chars[i + 1] == "\\" || (quote == nil && chars[i + 1] == " ") {
                    i += 1
                    arg.append(chars[i])
                } else if quote == nil, c == " " || c == "\t" || c == "\r" || c == "\u{0C}" {
                    break
                } else if quote == nil, c == "\"" || c == "'" {
                    quote = c
                } else if quote == c {
                    quote = nil
                } else {
                    arg.append(c)
                }
                i += 1
            }
            if let quote {
                throw SSHConfigError(path: location.path, line: location.line, message: "unterminated \(quote) quote in '\(keyword)'; close the quote or remove it")
            }
            args.append(arg)
        }
        return (keyword, args, rest)
    }

    private mutating func item(keyword: String, args: [String], rest: String, at location: (path: String, line: Int), depth: Int) throws(SSHConfigError) -> SSHConfigItem? {
        func fail(_ message: String) -> SSHConfigError {
            SSHConfigError(path: location.path, line: location.line, message: message)
        }
        func single() throws(SSHConfigError) -> String {
            guard let value = args.first, !value.isEmpty else {
                throw fail("'\(keyword)' needs a value")
            }
            guard args.count == 1 else {
                throw fail("'\(keyword)' takes one value but got \(args.count): \(args.joined(separator: " ")); quote the value if it contains spaces")
            }
            return value
        }
        func path(_ value: String) throws(SSHConfigError) -> String {
            try checkTokens(value, keyword: keyword, at: location)
            return value
        }
        let name = keyword.lowercased()
        switch name {
        case "host":
            guard !args.isEmpty, !args.contains("") else {
                throw fail("'Host' needs at least one pattern, e.g. 'Host web*'")
            }
            return .host(args)
        case "match":
            return .match(try matchCriteria(args, at: location))
        case "include":
            guard !args.isEmpty else {
                throw fail("'Include' needs at least one file name or glob")
            }
            guard depth < Self.maxIncludeDepth else {
                throw fail("'Include' nested more than \(Self.maxIncludeDepth) deep; do the included files include each other?")
            }
            var files: [[SSHConfigItem]] = []
            for pattern in args {
                for file in SSHConfigPaths.glob(SSHConfigPaths.includePath(pattern, homeDirectory: homeDirectory, includeDirectory: includeDirectory)) {
                    // As ssh does, a file it cannot read is skipped.
                    guard let bytes = FileContents.bytes(of: file) else {
                        continue
                    }
                    files.append(parse(text: String(decoding: bytes, as: UTF8.self), path: file, depth: depth + 1))
                }
            }
            return .include(files)
        case "ignoreunknown":
            ignoreUnknown.append(contentsOf: args)
            return nil
        case "hostname":
            let value = try single()
            try checkTokens(value, keyword: keyword, at: location, allowed: ["%", "h"], supported: ["%", "h"], environmentReferences: false)
            return .setting(.hostName(value))
        case "port":
            let value = try single()
            guard let port = Int(value), (1...65535).contains(port) else {
                throw fail("bad port '\(value)'; use a number from 1 to 65535")
            }
            return .setting(.port(port))
        case "user":
            return .setting(.user(try single()))
        case "identityfile", "identityfile2":
            return .setting(.identityFile(try path(try single())))
        case "certificatefile":
            return .setting(.certificateFile(try path(try single())))
        case "identitiesonly":
            return .setting(.identitiesOnly(try flag(try single(), keyword: keyword, at: location)))
        case "connecttimeout":
            return .setting(.connectTimeout(try time(try single(), keyword: keyword, at: location)))
        case "serveraliveinterval", "protocolkeepalives", "setuptimeout":
            return .setting(.serverAliveInterval(try time(try single(), keyword: keyword, at: location)))
        case "serveralivecountmax":
            let value = try single()
            guard let count = Int(value), count >= 0 else {
                throw fail("bad 'ServerAliveCountMax' value '\(value)'; use a whole number such as 3")
            }
            return .setting(.serverAliveCountMax(count))
        case "connectionattempts":
            let value = try single()
            guard let count = Int(value), count >= 1 else {
                throw fail("bad 'ConnectionAttempts' value '\(value)'; use a whole number of tries, 1 or more")
            }
            return .setting(.connectionAttempts(count))
        case "stricthostkeychecking":
            return .setting(.strictHostKeyChecking(try policy(try single(), at: location)))
        case "userknownhostsfile", "globalknownhostsfile":
            guard !args.isEmpty, !args.contains("") else {
                throw fail("'\(keyword)' needs at least one file name (or 'none')")
            }
            var files: [String] = []
            if args != ["none"] {
                for file in args {
                    files.append(name == "userknownhostsfile" ? try path(file) : file)
                }
            }
            return .setting(name == "userknownhostsfile" ? .userKnownHostsFiles(files) : .globalKnownHostsFiles(files))
        case "identityagent":
            let value = try single()
            if value != "none", value != "SSH_AUTH_SOCK", !value.hasPrefix("$") || value.hasPrefix("${") {
                try checkTokens(value, keyword: keyword, at: location)
            }
            return .setting(.identityAgent(value))
        case "hashknownhosts":
            return .setting(.hashKnownHosts(try flag(try single(), keyword: keyword, at: location)))
        case "hostkeyalias":
            return .setting(.hostKeyAlias(try single()))
        case "proxyjump":
            let value = try single()
            if value.lowercased() == "none" {
                return .setting(.proxyJump([]))
            }
            let hops = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let bad = hops.first(where: { ProxyJumpHop($0) == nil }) {
                throw fail("invalid 'ProxyJump' hop '\(bad)' in '\(value)'; write hops as 'user@host:port' separated by commas, or 'none'")
            }
            return .setting(.proxyJump(hops))
        case "proxycommand":
            guard !args.isEmpty else {
                throw fail("'ProxyCommand' needs a command (or 'none')")
            }
            // As OpenSSH keeps it: the rest of the line, quotes and all, for the shell to read.
            try checkTokens(rest, keyword: keyword, at: location, allowed: ["%", "h", "k", "n", "p", "r"],
                            supported: ["%", "h", "k", "n", "p", "r"], environmentReferences: false)
            return .setting(.proxyCommand(rest))
        case "kexalgorithms", "hostkeyalgorithms", "ciphers", "macs", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes":
            let kind = SSHAlgorithmKind(keyword: name)!
            let value = try single()
            if let problem = SSHAlgorithmList.problem(in: value, kind: kind) {
                throw fail(problem)
            }
            return .setting(.algorithms(SSHAlgorithmSetting(kind: kind, keyword: keyword, value: value, path: location.path, line: location.line)))
        default:
            switch SSHConfigKeyword.table[name] {
            case .refused(let harmless, let why):
                guard !args.isEmpty else {
                    throw fail("'\(keyword)' needs a value")
                }
                let harmlessValue = harmless.contains(args.joined(separator: " ").lowercased())
                let refusal = SSHConfigRefusal(path: location.path, line: location.line, keyword: keyword, value: rest, why: why)
                // A harmless value still counts as the first one obtained: it shadows later lines.
                return .setting(.refusable(keyword: name, refusal: harmlessValue ? nil : refusal))
            case .irrelevant:
                return nil
            case .honoured:
                preconditionFailure("'\(name)' is honoured in SSHConfigKeyword.table, but SSHConfigParser does not read it")
            case nil:
                break
            }
            if ignoreUnknown.contains(where: { WildcardPattern.matchList(name, list: $0, lowercase: true) == true }) {
                return nil
            }
            let hint = SSHConfigKeyword.suggestion(for: name).map { "; did you mean '\($0)'?" } ?? "; check the spelling (ssh(1) would refuse it too)"
            throw fail("unknown option '\(keyword)'\(hint)")
        }
    }

    /// The criteria of a `Match` line (OpenSSH's `match_cfg_line` syntax); nil, with a warning, when the
    /// line uses one deployer cannot evaluate.
    private mutating func matchCriteria(_ args: [String], at location: (path: String, line: Int)) throws(SSHConfigError) -> [SSHConfigMatchCriterion]? {
        func fail(_ message: String) -> SSHConfigError {
            SSHConfigError(path: location.path, line: location.line, message: message)
        }
        guard !args.isEmpty else {
            throw fail("'Match' needs criteria, e.g. 'Match host *.example.com' or 'Match all'")
        }
        var criteria: [SSHConfigMatchCriterion] = []
        var unsupported: [String] = []
        var neverMatches = false
        var index = 0
        while index < args.count {
            var attribute = Substring(args[index].lowercased())
            index += 1
            let negated = attribute.hasPrefix("!")
            if negated {
                attribute = attribute.dropFirst()
            }
            switch attribute {
            case "all":
                let others = args.filter { !["all", "!all", "canonical", "!canonical", "final", "!final"].contains($0.lowercased()) }
                guard others.isEmpty else {
                    throw fail("'all' cannot be combined with other Match attributes")
                }
                neverMatches = neverMatches || negated
                criteria.append(.all)
                continue
            case "canonical", "final":
                unsupported.append(String(attribute))
                continue
            default:
                break
            }
            guard index < args.count, !args[index].isEmpty else {
                throw fail("'Match \(attribute)' needs a pattern list, e.g. 'Match \(attribute) value1,value2'")
            }
            let patterns = args[index]
            index += 1
            switch attribute {
            case "host": criteria.append(.host(patterns: patterns, negated: negated))
            case "originalhost": criteria.append(.originalHost(patterns: patterns, negated: negated))
            case "user": criteria.append(.user(patterns: patterns, negated: negated))
            case "localuser": criteria.append(.localUser(patterns: patterns, negated: negated))
            case "exec", "localnetwork", "tagged", "version", "sessiontype", "command": unsupported.append(String(attribute))
            default:
                throw fail("unknown Match attribute '\(attribute)'; use host, originalhost, user, localuser, exec or all")
            }
        }
        guard unsupported.isEmpty else {
            warnings.append("\(location.path):\(location.line): 'Match \(unsupported.joined(separator: "/"))' is not supported by deployer; the options of this Match block are ignored")
            return nil
        }
        return neverMatches ? nil : criteria
    }

    /// Checks `%` tokens (and, in paths, `${NAME}` environment references) so resolution cannot fail later.
    private func checkTokens(
        _ value: String, keyword: String, at location: (path: String, line: Int),
        allowed: Set<Character> = openSSHPathTokens, supported: Set<Character> = supportedPathTokens,
        environmentReferences: Bool = true
    ) throws(SSHConfigError) {
        func fail(_ message: String) -> SSHConfigError {
            SSHConfigError(path: location.path, line: location.line, message: message)
        }
        let chars = Array(value)
        var i = 0
        while i < chars.count {
            defer { i += 1 }
            if environmentReferences, chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}"), close > i + 2 else {
                    throw fail("unterminated or empty '${' in '\(keyword)' value '\(value)'; write ${NAME} for an environment variable")
                }
                i = close
                continue
            }
            guard chars[i] == "%" else {
                continue
            }
            i += 1
            guard i < chars.count else {
                throw fail("'\(keyword)' value '\(value)' ends with a lone '%'; write '%%' for a literal percent sign")
            }
            let token = chars[i]
            guard allowed.contains(token) else {
                throw fail("unknown token '%\(token)' in '\(keyword)'; valid tokens here are \(allowed.sorted().map { "%\($0)" }.joined(separator: " "))")
            }
            guard supported.contains(token) else {
                throw fail("token '%\(token)' in '\(keyword)' is not supported by deployer; write the value out, or use one of \(supported.sorted().map { "%\($0)" }.joined(separator: " "))")
            }
        }
    }

    private func flag(_ value: String, keyword: String, at location: (path: String, line: Int)) throws(SSHConfigError) -> Bool {
        switch value.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default: throw SSHConfigError(path: location.path, line: location.line, message: "'\(keyword)' must be 'yes' or 'no', not '\(value)'")
        }
    }

    /// `ask` becomes `strict`: deployer never prompts, so an unknown key is refused as `ask` would be without a terminal.
    private func policy(_ value: String, at location: (path: String, line: Int)) throws(SSHConfigError) -> HostKeyPolicy {
        switch value.lowercased() {
        case "yes", "true", "ask": return .strict
        case "accept-new": return .acceptNew
        case "no", "false", "off": return .off
        default:
            throw SSHConfigError(path: location.path, line: location.line, message: "'StrictHostKeyChecking' must be yes, accept-new, no or ask, not '\(value)'")
        }
    }

    /// OpenSSH's `convtime`: `90`, `90s`, `1m30s`, `2h`, `1d`, `1w`; `none` is nil.
    private func time(_ value: String, keyword: String, at location: (path: String, line: Int)) throws(SSHConfigError) -> Int? {
        if value == "none" {
            return nil
        }
        var total = 0
        var number: Int?
        var overflow = false
        func add(_ multiplier: Int) {
            let (product, o1) = (number ?? 0).multipliedReportingOverflow(by: multiplier)
            let (sum, o2) = total.addingReportingOverflow(product)
            overflow = overflow || o1 || o2 || sum > Int(Int32.max)
            total = sum
            number = nil
        }
        for c in value {
            if let digit = c.wholeNumberValue, c.isASCII {
                let (shifted, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (next, o2) = shifted.addingReportingOverflow(digit)
                overflow = overflow || o1 || o2
                number = next
                continue
            }
            let multipliers: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
            guard number != nil, let multiplier = multipliers[Character(c.lowercased())] else {
                throw SSHConfigError(path: location.path, line: location.line, message: "invalid time '\(value)' for '\(keyword)'; use seconds (30) or units like 1m30s")
            }
            add(multiplier)
        }
        if number != nil {
            add(1)
        }
        guard !overflow else {
            throw SSHConfigError(path: location.path, line: location.line, message: "time '\(value)' for '\(keyword)' is too large")
        }
        return total
    }
}
