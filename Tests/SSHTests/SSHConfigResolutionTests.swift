import Foundation
@testable import SSH
import Testing

/// Table-driven resolution: a config, a host as typed, and how the result differs from OpenSSH's defaults.
@Suite struct SSHConfigResolutionTests {
    static let home = "/home/me"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let config: String
        let host: String
        var user: String?
        var port: Int?
        let expect: @Sendable (inout ResolvedSSHOptions) -> Void
        var testDescription: String { name }
    }

    static func defaults(_ host: String) -> ResolvedSSHOptions {
        ResolvedSSHOptions(
            alias: host, hostName: host.lowercased(), port: 22, user: "me",
            identityFiles: [home + "/.ssh/id_ed25519", home + "/.ssh/id_ecdsa", home + "/.ssh/id_rsa"],
            identityFilesExplicit: false, identitiesOnly: false, connectTimeout: nil, serverAliveInterval: nil,
            serverAliveCountMax: 3, strictHostKeyChecking: nil,
            userKnownHostsFiles: [home + "/.ssh/known_hosts", home + "/.ssh/known_hosts2"],
            globalKnownHostsFiles: ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
            hostKeyAlias: nil, proxyJump: []
        )
    }

    static let cases: [Case] = [
        Case(name: "empty config gives defaults", config: "", host: "web1") { _ in },
        Case(name: "ConnectionAttempts, first value wins", config: "Host web*\n  ConnectionAttempts 4\nHost *\n  ConnectionAttempts 9\n",
             host: "web1") { $0.connectionAttempts = 4 },
        Case(name: "wildcard and HostName token", config: """
            Host web*
              HostName %h.example.com
              Port 2222
              User deploy
            """, host: "web1") {
            $0.hostName = "web1.example.com"
            $0.port = 2222
            $0.user = "deploy"
        },
        Case(name: "negation excludes a host", config: """
            Host web* !web3
              User deploy
            """, host: "web3") { _ in },
        Case(name: "negation only never matches", config: """
            Host !db*
              User nobody
            """, host: "web1") { _ in },
        Case(name: "question mark matches one character", config: """
            Host web?
              Port 1
            Host web??
              Port 2
            """, host: "web10") { $0.port = 2 },
        Case(name: "first obtained value wins", config: """
            Host web1
              User first
            Host *
              User second
              Port 2200
            """, host: "web1") {
            $0.user = "first"
            $0.port = 2200
        },
        Case(name: "a later duplicate in the same block is ignored", config: """
            Port 1000
            Port 2000
            """, host: "x") { $0.port = 1000 },
        Case(name: "explicit user and port win over config", config: """
            Host *
              User cfg
              Port 2200
            """, host: "web1", user: "cli", port: 2022) {
            $0.user = "cli"
            $0.port = 2022
        },
        Case(name: "identity files accumulate, dedupe, expand ~ and tokens", config: """
            Host web1
              HostName Web1.Example.COM
              User deploy
              Port 2200
              IdentityFile ~/.ssh/%r@%h:%p-%u-%n-%d-%k-%%
              IdentityFile /keys/common
            Host *
              IdentityFile /keys/common
              IdentityFile "/keys/with space"
              IdentitiesOnly yes
            """, host: "web1") {
            $0.hostName = "web1.example.com"
            $0.user = "deploy"
            $0.port = 2200
            $0.identityFiles = [home + "/.ssh/deploy@web1.example.com:2200-me-web1-/home/me-web1-%", "/keys/common", "/keys/with space"]
            $0.identityFilesExplicit = true
            $0.identitiesOnly = true
        },
        Case(name: "HostKeyAlias is lower-cased and feeds %k", config: """
            HostKeyAlias Shared-Key
            IdentityFile /k/%k
            """, host: "x") {
            $0.hostKeyAlias = "shared-key"
            $0.identityFiles = ["/k/shared-key"]
            $0.identityFilesExplicit = true
        },
        Case(name: "ProxyJump list and %j", config: """
            Host inner
              ProxyJump ops@bastion:2222,gw
              IdentityFile /k/%j
            """, host: "inner") {
            $0.proxyJump = ["ops@bastion:2222", "gw"]
            $0.identityFiles = ["/k/ops@bastion:2222,gw"]
            $0.identityFilesExplicit = true
        },
        Case(name: "ProxyJump none stops later values", config: """
            Host inner
              ProxyJump none
            Host *
              ProxyJump bastion
            """, host: "inner") { _ in },
        Case(name: "ProxyCommand first excludes ProxyJump", config: """
            Host *
              ProxyCommand nc %h %p
              ProxyJump bastion
            """, host: "x") { $0.proxyCommand = "nc %h %p" },
        Case(name: "ProxyCommand keeps the line as written, quotes and all, for the shell", config: """
            Host *
              ProxyCommand=  sh -c 'exec nc "%h" %p'  \t
            """, host: "x") { $0.proxyCommand = "sh -c 'exec nc \"%h\" %p'" },
        Case(name: "ProxyJump first excludes ProxyCommand", config: """
            ProxyJump bastion
            ProxyCommand nc %h %p
            """, host: "x") { $0.proxyJump = ["bastion"] },
        Case(name: "known hosts files, tilde and tokens, first line wins", config: """
            UserKnownHostsFile ~/kh/%h /tmp/kh2
            UserKnownHostsFile /ignored
            GlobalKnownHostsFile /etc/kh
            """, host: "web1") {
            $0.userKnownHostsFiles = [home + "/kh/web1", "/tmp/kh2"]
            $0.globalKnownHostsFiles = ["/etc/kh"]
        },
        Case(name: "known hosts none", config: "UserKnownHostsFile none\nGlobalKnownHostsFile none", host: "x") {
            $0.userKnownHostsFiles = []
            $0.globalKnownHostsFiles = []
        },
        Case(name: "StrictHostKeyChecking accept-new", config: "StrictHostKeyChecking accept-new", host: "x") {
            $0.strictHostKeyChecking = .acceptNew
        },
        Case(name: "HashKnownHosts, first value wins", config: "HashKnownHosts yes\nHashKnownHosts no", host: "x") {
            $0.hashKnownHosts = true
        },
        Case(name: "StrictHostKeyChecking ask means strict", config: "StrictHostKeyChecking ask", host: "x") {
            $0.strictHostKeyChecking = .strict
        },
        Case(name: "StrictHostKeyChecking no", config: "StrictHostKeyChecking no", host: "x") {
            $0.strictHostKeyChecking = .off
        },
        Case(name: "times with units; none leaves it open", config: """
            ConnectTimeout none
            ConnectTimeout 1m5s
            ServerAliveInterval 15
            ServerAliveCountMax 5
            """, host: "x") {
            $0.connectTimeout = 65
            $0.serverAliveInterval = 15
            $0.serverAliveCountMax = 5
        },
        Case(name: "keyword=value, case, quotes and trailing comments", config: """
              # a comment
            HOST=web1   # trailing
            \tuSeR = "deploy"
            \tport=2200 # comment
            """, host: "web1") {
            $0.user = "deploy"
            $0.port = 2200
        },
        Case(name: "Host matching is case-sensitive, HostName is lower-cased", config: """
            Host web1
              Port 1
            """, host: "WEB1") { _ in },
        Case(name: "Match exec blocks are skipped up to the next Host", config: """
            Match exec "test -e /etc/passwd"
              User matched
            Host web1
              Port 2200
            Match all
              User everyone
            """, host: "web1") {
            $0.port = 2200
            $0.user = "everyone"
        },
        Case(name: "Match host sees HostName set so far; user sees the explicit user", config: """
            Host web1
              HostName web1.corp.example.com
            Match host *.corp.example.com !user root
              Port 2201
            Match originalhost WEB* user deploy
              IdentityFile /k/deploy
            Match localuser me
              ConnectTimeout 4
            """, host: "web1", user: "deploy") {
            $0.hostName = "web1.corp.example.com"
            $0.user = "deploy"
            $0.port = 2201
            $0.identityFiles = ["/k/deploy"]
            $0.identityFilesExplicit = true
            $0.connectTimeout = 4
        },
        Case(name: "Match user is case-sensitive and negation works", config: """
            Match user ME
              Port 1
            Match !localuser root
              Port 2
            """, host: "x") { $0.port = 2 },
        Case(name: "options irrelevant to a command session are ignored", config: """
            ControlMaster auto
            SendEnv LANG LC_*
            GSSAPIAuthentication yes
            """, host: "x") { _ in },
        Case(name: "IgnoreUnknown skips listed keywords", config: """
            IgnoreUnknown UseKeychain,Add*
            UseKeychain yes
            AddSomething yes
            User u
            """, host: "x") { $0.user = "u" },
    ]

    @Test(arguments: cases)
    func resolves(_ testCase: Case) throws {
        let config = try SSHConfig(text: testCase.config, path: "config", homeDirectory: Self.home)
        var expected = Self.defaults(testCase.host)
        testCase.expect(&expected)
        let resolved = config.resolve(host: testCase.host, user: testCase.user, port: testCase.port, localUser: "me", homeDirectory: Self.home)
        #expect(resolved == expected)
    }

    /// A refused keyword is kept with its file and line for the host that obtains it; a harmless
    /// value obtained first (OpenSSH's first-value-wins) shadows a refused one further down.
    @Test func refusedSettingsKeepTheirPlaceAndAHarmlessFirstValueShadowsLaterOnes() throws {
        let config = try SSHConfig(text: """
            Host quiet
              ForwardAgent no
            Host *
              ForwardAgent yes
              RekeyLimit 1G
            """, path: "config", homeDirectory: Self.home)
        func refused(_ host: String) -> [String] {
            config.resolve(host: host, localUser: "me", homeDirectory: Self.home).refusedSettings.map { "\($0.path):\($0.line): \($0.keyword) \($0.value)" }
        }
        #expect(refused("quiet") == ["config:5: RekeyLimit 1G"])
        #expect(refused("loud") == ["config:4: ForwardAgent yes", "config:5: RekeyLimit 1G"])
    }

    @Test func matchProducesAWarning() throws {
        let config = try SSHConfig(text: "Host a\n  User x\nMatch exec \"true\"\n  User y\n", path: "cfg", homeDirectory: Self.home)
        #expect(config.warnings == ["cfg:3: 'Match exec' is not supported by deployer; the options of this Match block are ignored"])
    }

    @Test func includeFollowsOpenSSHActivityRules() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sshconfig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.ssh/conf.d", withIntermediateDirectories: true)
        try "Host web1\n  User from-b\n".write(toFile: home + "/.ssh/conf.d/b.conf", atomically: true, encoding: .utf8)
        try "Host web*\n  Port 2201\nHost db1\n  User from-a\n".write(toFile: home + "/.ssh/conf.d/a.conf", atomically: true, encoding: .utf8)
        try "User only-for-db\n".write(toFile: home + "/.ssh/db.conf", atomically: true, encoding: .utf8)
        let text = """
            Host db*
              Include db.conf
            Host *
              Include conf.d/*.conf ~/.ssh/missing-*.conf
              User fallback
            """
        let config = try SSHConfig(text: text, path: home + "/.ssh/config", homeDirectory: home)
        let web = config.resolve(host: "web1", localUser: "me", homeDirectory: home)
        #expect(web.port == 2201)
        #expect(web.user == "from-b")  // a.conf is read first (glob order) but only b.conf sets User for web1
        let db = config.resolve(host: "db1", localUser: "me", homeDirectory: home)
        #expect(db.user == "only-for-db")
        let other = config.resolve(host: "cache1", localUser: "me", homeDirectory: home)
        #expect(other.user == "fallback")
        #expect(other.port == 22)
    }

    /// `ssh -F /dev/null` (read no config) is a common idiom, in CI above all: deployer refused it,
    /// "/dev/null: cannot read the file" (Foundation reads no character device).
    @Test func devNullIsAnEmptyConfigAsAFileAndAsAnInclude() throws {
        let config = try SSHConfig.load(path: "/dev/null", homeDirectory: Self.home)
        var expected = Self.defaults("web1")
        #expect(config.resolve(host: "web1", localUser: "me", homeDirectory: Self.home) == expected)
        let including = try SSHConfig(text: "Include /dev/null\nHost web1\n  Port 2201\n", path: "cfg", homeDirectory: Self.home)
        expected.port = 2201
        #expect(including.resolve(host: "web1", localUser: "me", homeDirectory: Self.home) == expected)
    }

    @Test func includedFileErrorsNameThatFile() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sshconfig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        try "\nPort eighty\n".write(toFile: home + "/.ssh/bad.conf", atomically: true, encoding: .utf8)
        #expect(throws: SSHConfigError(path: home + "/.ssh/bad.conf", line: 2, message: "bad port 'eighty'; use a number from 1 to 65535")) {
            try SSHConfig(text: "Include bad.conf", path: "config", homeDirectory: home)
        }
    }

    @Test func includeLoopIsReported() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sshconfig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/.ssh", withIntermediateDirectories: true)
        try "Include loop.conf\n".write(toFile: home + "/.ssh/loop.conf", atomically: true, encoding: .utf8)
        let error = #expect(throws: SSHConfigError.self) {
            try SSHConfig(text: "Include loop.conf", path: "config", homeDirectory: home)
        }
        #expect(error?.description.hasSuffix("'Include' nested more than 16 deep; do the included files include each other?") == true)
    }

    @Test func environmentReferencesInPaths() throws {
        let config = try SSHConfig(text: "IdentityFile ${KEYS}/%r_${UNSET}\nUserKnownHostsFile ${KEYS}/kh\n", path: "cfg", homeDirectory: Self.home)
        let options = config.resolve(host: "h", localUser: "me", homeDirectory: Self.home, environment: ["KEYS": "/vault"])
        #expect(options.identityFiles == ["/vault/me_${UNSET}"])
        #expect(options.userKnownHostsFiles == ["/vault/kh"])
    }

    @Test(arguments: [
        ("", "/tmp/env.sock"),
        ("IdentityAgent none", nil),
        ("IdentityAgent SSH_AUTH_SOCK", "/tmp/env.sock"),
        ("IdentityAgent $OTHER_SOCK", "/tmp/other.sock"),
        ("IdentityAgent ~/.agent-%r.sock", "/home/me/.agent-me.sock"),
    ] as [(String, String?)])
    func agentSocket(config text: String, expected: String?) throws {
        let config = try SSHConfig(text: text, path: "cfg", homeDirectory: Self.home)
        let options = config.resolve(host: "h", localUser: "me", homeDirectory: Self.home)
        #expect(options.agentSocket(environment: ["SSH_AUTH_SOCK": "/tmp/env.sock", "OTHER_SOCK": "/tmp/other.sock"]) == expected)
    }

    @Test func crlfLineEndingsAreAccepted() throws {
        let config = try SSHConfig(text: "Host web1\r\n  User crlf\r\n  Port 2200\r\n", path: "cfg", homeDirectory: Self.home)
        let options = config.resolve(host: "web1", localUser: "me", homeDirectory: Self.home)
        #expect(options.user == "crlf")
        #expect(options.port == 2200)
    }

    @Test func loadOfUnreadablePathIsAnError() {
        #expect(throws: SSHConfigError(path: "/", line: 0, message: "cannot read the file; check its permissions, or pass another config file")) {
            try SSHConfig.load(path: "/", homeDirectory: Self.home)
        }
    }

    @Test func userConfigThenSystemConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sshconfig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/etc/ssh/conf.d", withIntermediateDirectories: true)
        try "Host web1\n  User mine\nHost db1\n  Port 1\n".write(toFile: dir + "/user_config", atomically: true, encoding: .utf8)
        try "Port 2200\nHost *\n  User system\n  Include conf.d/*.conf\n".write(toFile: dir + "/etc/ssh/ssh_config", atomically: true, encoding: .utf8)
        try "IdentitiesOnly yes\n".write(toFile: dir + "/etc/ssh/conf.d/a.conf", atomically: true, encoding: .utf8)
        let config = try SSHConfig.load(userPath: dir + "/user_config", systemPath: dir + "/etc/ssh/ssh_config", homeDirectory: Self.home)
        let web = config.resolve(host: "web1", localUser: "me", homeDirectory: Self.home)
        #expect(web.user == "mine")
        #expect(web.port == 2200)  // the system file starts active although the user file ended in `Host db1`
        #expect(web.identitiesOnly)
        #expect(config.resolve(host: "db1", localUser: "me", homeDirectory: Self.home).port == 1)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: SSHConfig.systemPath)))
    func thisMachinesSystemConfigParses() throws {
        _ = try SSHConfig.load(userPath: "/nonexistent/config", systemPath: SSHConfig.systemPath, homeDirectory: Self.home)
    }

    @Test func loadOfMissingFileIsEmpty() throws {
        let config = try SSHConfig.load(path: "/nonexistent/ssh_config", homeDirectory: Self.home)
        #expect(config.resolve(host: "h", localUser: "me", homeDirectory: Self.home) == Self.defaults("h"))
    }
}
