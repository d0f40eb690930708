@testable import SSH
import Testing

/// Every refused line names `path:line` and says what to write instead.
@Suite struct SSHConfigErrorTests {
    @Test(arguments: [
        ("Host web\n  Hostnme web.example.com", 2, "unknown option 'Hostnme'; did you mean 'hostname'?"),
        ("Frobnicate yes", 1, "unknown option 'Frobnicate'; check the spelling (ssh(1) would refuse it too)"),
        ("Port 0", 1, "bad port '0'; use a number from 1 to 65535"),
        ("Host nomatch\n  Port 70000", 2, "bad port '70000'; use a number from 1 to 65535"),
        ("User a b", 1, "'User' takes one value but got 2: a b; quote the value if it contains spaces"),
        ("IdentityFile", 1, "'IdentityFile' needs a value"),
        ("IdentityFile \"~/.ssh/key", 1, "unterminated \" quote in 'IdentityFile'; close the quote or remove it"),
        ("ConnectTimeout soon", 1, "invalid time 'soon' for 'ConnectTimeout'; use seconds (30) or units like 1m30s"),
        ("ConnectTimeout 99999999999999999999", 1, "time '99999999999999999999' for 'ConnectTimeout' is too large"),
        ("ServerAliveCountMax -1", 1, "bad 'ServerAliveCountMax' value '-1'; use a whole number such as 3"),
        ("ConnectionAttempts 0", 1, "bad 'ConnectionAttempts' value '0'; use a whole number of tries, 1 or more"),
        ("IdentitiesOnly maybe", 1, "'IdentitiesOnly' must be 'yes' or 'no', not 'maybe'"),
        ("StrictHostKeyChecking sometimes", 1, "'StrictHostKeyChecking' must be yes, accept-new, no or ask, not 'sometimes'"),
        ("IdentityFile ~/.ssh/%x", 1, "unknown token '%x' in 'IdentityFile'; valid tokens here are %% %C %L %d %h %i %j %k %l %n %p %r %u"),
        ("IdentityFile ~/.ssh/%C", 1, "token '%C' in 'IdentityFile' is not supported by deployer; write the value out, or use one of %% %d %h %j %k %n %p %r %u"),
        ("HostName %r.example.com", 1, "unknown token '%r' in 'HostName'; valid tokens here are %% %h"),
        ("UserKnownHostsFile ~/kh%", 1, "'UserKnownHostsFile' value '~/kh%' ends with a lone '%'; write '%%' for a literal percent sign"),
        ("IdentityFile ${HOME/id", 1, "unterminated or empty '${' in 'IdentityFile' value '${HOME/id'; write ${NAME} for an environment variable"),
        ("UserKnownHostsFile ${}/kh", 1, "unterminated or empty '${' in 'UserKnownHostsFile' value '${}/kh'; write ${NAME} for an environment variable"),
        ("Match", 1, "'Match' needs criteria, e.g. 'Match host *.example.com' or 'Match all'"),
        ("Match host", 1, "'Match host' needs a pattern list, e.g. 'Match host value1,value2'"),
        ("Match all host x", 1, "'all' cannot be combined with other Match attributes"),
        ("Match bogus x", 1, "unknown Match attribute 'bogus'; use host, originalhost, user, localuser, exec or all"),
        ("Host", 1, "'Host' needs at least one pattern, e.g. 'Host web*'"),
        ("ProxyJump a,,b", 1, "invalid 'ProxyJump' hop '' in 'a,,b'; write hops as 'user@host:port' separated by commas, or 'none'"),
        ("ProxyJump ok,h:0", 1, "invalid 'ProxyJump' hop 'h:0' in 'ok,h:0'; write hops as 'user@host:port' separated by commas, or 'none'"),
        ("=value", 1, "line starts with '=' but no keyword; write 'Keyword value'"),
    ])
    func refuses(text: String, line: Int, message: String) {
        #expect(throws: SSHConfigError(path: "/cfg", line: line, message: message)) {
            try SSHConfig(text: text, path: "/cfg", homeDirectory: "/home/me")
        }
    }

    @Test func descriptionIsPathLineMessage() {
        #expect(SSHConfigError(path: "/cfg", line: 3, message: "m").description == "/cfg:3: m")
        #expect(SSHConfigError(path: "/cfg", line: 0, message: "m").description == "/cfg: m")
    }
}

extension SSHConfigErrorTests {
    @Test func everyBadLineIsReportedInOneGo() {
        let error = #expect(throws: SSHConfigError.self) {
            try SSHConfig(text: "Port x\nUser ok\nHost\nIdentitiesOnly maybe\n", path: "/cfg", homeDirectory: "/home/me")
        }
        #expect(error?.description == """
            /cfg:1: bad port 'x'; use a number from 1 to 65535
            /cfg:3: 'Host' needs at least one pattern, e.g. 'Host web*'
            /cfg:4: 'IdentitiesOnly' must be 'yes' or 'no', not 'maybe'
            """)
    }
}
