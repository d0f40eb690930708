import Foundation
@testable import SSH
import Testing

/// Our resolution against OpenSSH's own: `ssh -G -F <file> <alias>` prints the options ssh would use
/// (it does no network I/O). Requires /usr/bin/ssh (OpenSSH 9.2 on the reference machine).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh")))
struct SSHConfigOpenSSHTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let config: String
        let aliases: [String]
        var user: String?
        var port: Int?
        /// Files written next to the config, referenced from it as `$DIR/name`.
        var extraFiles: [String: String] = [:]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "patterns and negation", config: """
            Host web* !web3
              HostName %h.example.com
              User deploy
            Host web3 db?
              Port 2200
            Host *
              User fallback
            """, aliases: ["web1", "web3", "db1", "db10", "other"]),
        Case(name: "first obtained value wins", config: """
            Host app1
              Port 1001
            Host app*
              Port 1002
              User appuser
              HostName app.internal
            Host *
              User everyone
              HostName default.internal
            """, aliases: ["app1", "app2", "zzz"]),
        Case(name: "tokens and case", config: """
            Host Web1 web1
              HostName WEB1.Example.com
              HostKeyAlias KA1
              UserKnownHostsFile ~/.ssh/kh_%h_%p_%r_%u_%n_%k /tmp/%d/kh%%
            Host *
              User tok
              Port 2022
            """, aliases: ["web1", "Web1", "WEB1"]),
        Case(name: "identity files", config: """
            Host id1
              IdentityFile ~/.ssh/deploy_ed25519
              IdentityFile "/keys/with space"
              IdentitiesOnly yes
            Host *
              IdentityFile ~/.ssh/deploy_ed25519
              IdentityFile /keys/common
            """, aliases: ["id1", "id2"]),
        Case(name: "ProxyJump", config: """
            Host a
              ProxyJump ops@bastion:2222,gw
            Host b
              ProxyJump none
            Host c
              ProxyCommand nc %h %p
              ProxyJump never
            Host e
              ProxyCommand none
              ProxyJump never-either
            Host *
              ProxyJump z
            """, aliases: ["a", "b", "c", "d", "e"]),
        Case(name: "timeouts", config: """
            Host t1
              ConnectTimeout 1m30s
              ServerAliveInterval 2m
              ServerAliveCountMax 7
            Host t2
              ConnectTimeout none
              ServerAliveInterval 0
            Host *
              ConnectTimeout 9
            """, aliases: ["t1", "t2", "t3"]),
        Case(name: "StrictHostKeyChecking", config: """
            Host s1
              StrictHostKeyChecking yes
            Host s2
              StrictHostKeyChecking no
            Host s3
              StrictHostKeyChecking accept-new
              HashKnownHosts yes
            Host s4
              StrictHostKeyChecking off
            """, aliases: ["s1", "s2", "s3", "s4", "s5"]),
        Case(name: "syntax: equals, comments, case, quotes", config: """
            # leading comment
              HOST=q1 q2   # trailing comment
            \tuSeR = "quoted user"
            \tport=2200 # comment
            Host=*
              hostname="h.example.com"
            """, aliases: ["q1", "q3"]),
        Case(name: "Match all and known hosts files", config: """
            Host k1
              UserKnownHostsFile none
              GlobalKnownHostsFile none
            Match all
              UserKnownHostsFile ~/kh_a ~/kh_b
              GlobalKnownHostsFile /etc/ssh/other
            """, aliases: ["k1", "k2"]),
        Case(name: "Match criteria", config: """
            Host web1
              HostName web1.corp.example.com
            Match host *.corp.example.com !user root
              Port 2201
            Match host *.corp.example.com
              Port 2202
            Match originalhost WEB* user deploy
              IdentityFile ~/.ssh/deploykey
            Match localuser root,me
              ConnectTimeout 4
            Match !host *.corp.example.com
              ServerAliveInterval 9
            Match User ROOT
              ServerAliveCountMax 1
            Match canonical all
              User never
            """, aliases: ["web1", "WEB2", "other"]),
        Case(name: "Match criteria with an explicit user", config: """
            Match host *.corp.example.com,web? !user root
              Port 2201
            Match originalhost WEB* user deploy
              IdentityFile ~/.ssh/deploykey
            """, aliases: ["web1", "WEB2"], user: "deploy"),
        Case(name: "Include with glob", config: """
            Host inc*
              Include $DIR/inc.d/*.conf
            Host *
              User outer
            """, aliases: ["inc1", "inc2", "out"], extraFiles: [
                "inc.d/a.conf": "Port 2001\nHost inc2\n  User u2\n",
                "inc.d/b.conf": "User fromb\n",
            ]),
        Case(name: "environment variables in known hosts files", config: """
            Host *
              UserKnownHostsFile ${HOME}/kh_env %d/kh_${HOME}
            """, aliases: ["env"]),
        Case(name: "IdentityAgent forms", config: """
            Host a1
              IdentityAgent none
            Host a2
              IdentityAgent SSH_AUTH_SOCK
            Host a3
              IdentityAgent $HOME
            Host a4
              IdentityAgent ~/.agent/%r@%h:%p.sock
            Host a5
              IdentityAgent ${HOME}/agent.sock
            Host *
              User agentuser
            """, aliases: ["a1", "a2", "a3", "a4", "a5", "a6"]),
        Case(name: "command-line user and port win", config: """
            Host *
              User cfg
              Port 2200
              IdentityFile ~/.ssh/%r-%p
            """, aliases: ["cli"], user: "cliuser", port: 2022),
        Case(name: "algorithm lists: replace, append, remove, put first, wildcards", config: """
            Host explicit
              Ciphers aes256-ctr,chacha20-poly1305@openssh.com,aes128-ctr
              MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-512
              KexAlgorithms ecdh-sha2-nistp384,curve25519-sha256
              HostKeyAlgorithms ecdsa-sha2-*
              PubkeyAcceptedAlgorithms rsa-sha2-256,ssh-ed25519
            Host append
              Ciphers +aes128-cbc
              KexAlgorithms +diffie-hellman-group14-sha1
              HostKeyAlgorithms +ssh-rsa
              PubkeyAcceptedKeyTypes +ssh-rsa
            Host remove
              Ciphers -aes128*
              MACs -hmac-sha1
              KexAlgorithms -diffie-hellman*
              PubkeyAcceptedAlgorithms -*-cert-v01@openssh.com,ecdsa*
            Host first
              Ciphers ^aes256-ctr
              MACs ^hmac-sha2-512,hmac-sha1
              HostKeyAlgorithms ^ecdsa-sha2-nistp521
            Host first append
              Ciphers aes192-ctr
            """, aliases: ["explicit", "append", "remove", "first", "other"]),
    ]

    @Test(arguments: cases)
    func matchesSSHDashG(_ testCase: Case) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sshG-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in testCase.extraFiles {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let configPath = dir + "/config"
        let text = testCase.config.replacingOccurrences(of: "$DIR", with: dir)
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)

        guard let passwd = getpwuid(getuid()) else {
            Issue.record("no passwd entry for the current user")
            return
        }
        let home = String(cString: passwd.pointee.pw_dir)
        let localUser = String(cString: passwd.pointee.pw_name)
        let config = try SSHConfig(text: text, path: configPath, homeDirectory: home)

        for alias in testCase.aliases {
            var arguments = ["-G", "-F", configPath]
            if let user = testCase.user { arguments += ["-l", user] }
            if let port = testCase.port { arguments += ["-p", String(port)] }
            let openSSH = try Self.sshDashG(arguments + [alias])
            let ours = config.resolve(
                host: alias, user: testCase.user, port: testCase.port, localUser: localUser, homeDirectory: home,
                environment: ProcessInfo.processInfo.environment)
            let context = Comment(rawValue: "\(testCase.name), alias \(alias)")
            #expect(ours.hostName == openSSH["hostname"]?.first, context)
            #expect(ours.user == openSSH["user"]?.first, context)
            #expect(String(ours.port) == openSSH["port"]?.first, context)
            #expect((ours.identitiesOnly ? "yes" : "no") == openSSH["identitiesonly"]?.first, context)
            #expect(Self.spelling(ours.strictHostKeyChecking) == openSSH["stricthostkeychecking"]?.first, context)
            #expect((ours.connectTimeout.map(String.init) ?? "none") == openSSH["connecttimeout"]?.first, context)
            #expect(String(ours.serverAliveInterval ?? 0) == openSSH["serveraliveinterval"]?.first, context)
            #expect(String(ours.serverAliveCountMax) == openSSH["serveralivecountmax"]?.first, context)
            #expect(Self.list(ours.userKnownHostsFiles) == openSSH["userknownhostsfile"]?.first, context)
            #expect(Self.list(ours.globalKnownHostsFiles) == openSSH["globalknownhostsfile"]?.first, context)
            #expect(ours.hostKeyAlias == openSSH["hostkeyalias"]?.first, context)
            #expect(ours.proxyCommand == openSSH["proxycommand"]?.first, context)
            #expect(ours.identityAgent == openSSH["identityagent"]?.first, context)
            #expect((ours.hashKnownHosts ? "yes" : "no") == openSSH["hashknownhosts"]?.first, context)
            for kind in SSHAlgorithmKind.allCases {
                // What ssh would offer, less what libssh2 1.10 cannot do.
                let theirs = (openSSH[kind.rawValue.lowercased()]?.first ?? "").split(separator: ",").map(String.init).filter(kind.libssh2Names.contains)
                #expect(ours.offered(kind) == theirs, "\(context): \(kind.rawValue)")
            }
            #expect(ours.proxyJump == (openSSH["proxyjump"]?.first?.split(separator: ",").map(String.init) ?? []), context)
            if ours.identityFilesExplicit {
                // ssh -G prints IdentityFile unexpanded; expand `~` and the tokens it leaves as written.
                let tokens: [Character: String] = ["r": ours.user, "p": String(ours.port)]
                let expected = (openSSH["identityfile"] ?? []).map {
                    SSHConfigTokens.expand(SSHConfigPaths.expandTilde($0, homeDirectory: home), tokens)
                }
                #expect(ours.identityFiles == expected, context)
            } else {
                #expect(openSSH["identityfile"]?.contains("~/.ssh/id_ed25519") == true, context)
            }
        }
    }

    /// `ssh -G` output as keyword → values (repeated keywords such as `identityfile` keep every line).
    static func sshDashG(_ arguments: [String]) throws -> [String: [String]] {
        let (status, output) = try TestSandbox.capture("/usr/bin/ssh", arguments)
        #expect(status == 0, "ssh \(arguments.joined(separator: " ")) failed")
        var result: [String: [String]] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            result[String(parts[0]), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return result
    }

    static func spelling(_ policy: HostKeyPolicy?) -> String {
        switch policy {
        case nil: "ask"
        case .strict: "true"
        case .acceptNew: "accept-new"
        case .off: "false"
        }
    }

    static func list(_ files: [String]) -> String {
        files.isEmpty ? "none" : files.joined(separator: " ")
    }
}
