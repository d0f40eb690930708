import Testing
@testable import SSH

/// Resolving targets and building remote commands: pure, no hosts needed.
struct SSHTargetTests {
    private let config = try! SSHConfig(text: """
        Host web1
          HostName 10.0.0.5
          User app
          Port 2200
          StrictHostKeyChecking accept-new
          ConnectTimeout 3
          ServerAliveInterval 5
          ServerAliveCountMax 4
        Host behind
          ProxyJump jump@bastion:2222
        """, path: "/test/ssh_config")

    @Test func aliasResolvesThroughSSHConfig() {
        let target = SSHTarget.resolve("web1", config: config, policy: nil, environment: ["HOME": "/home/me", "USER": "me"])
        #expect(target.name == "web1")
        #expect(target.options.hostName == "10.0.0.5" && target.options.port == 2200 && target.options.user == "app")
        #expect(target.hostKeyPolicy == .acceptNew)
        #expect(target.connectTimeout == .seconds(3))
        #expect(target.keepAliveInterval == 5 && target.keepAliveCountMax == 4)
        #expect(target.agentSocket == nil && target.passphrase == nil)
    }

    @Test func commandLinePolicyAndEnvironmentWin() {
        let target = SSHTarget.resolve("web1", config: config, policy: .strict, environment: [
            "HOME": "/home/me", "USER": "me", "SSH_AUTH_SOCK": "/tmp/agent", "DEPLOYER_SSH_PASSPHRASE": "pw",
        ])
        #expect(target.hostKeyPolicy == .strict)
        #expect(target.agentSocket == "/tmp/agent" && target.passphrase == "pw")
    }

    @Test func userHostPortSpecAndDefaults() {
        let target = SSHTarget.resolve("deploy@[::1]:2222", config: config, policy: nil, environment: ["HOME": "/home/me", "USER": "me"])
        #expect(target.options.hostName == "::1" && target.options.port == 2222 && target.options.user == "deploy")
        #expect(target.hostKeyPolicy == .strict)
        #expect(target.connectTimeout == SSHTarget.defaultConnectTimeout)
        #expect(target.keepAliveInterval == SSHTarget.defaultKeepAliveInterval)
        #expect(HostSpec(parsing: "db:5") == HostSpec(parsing: "db:5"))
        #expect(HostSpec(parsing: "me@db").user == "me")
    }

    @Test func proxyJumpHopsResolveLikeHostsOfTheirOwn() {
        let target = SSHTarget.resolve("behind", config: config, policy: nil, environment: ["HOME": "/home/me", "USER": "me"])
        #expect(target.jumpHosts.map(\.name) == ["jump@bastion:2222"])
        #expect(target.jumpHosts.map(\.options.hostName) == ["bastion"])
        #expect(target.jumpHosts.map(\.options.port) == [2222] && target.jumpHosts.map(\.options.user) == ["jump"])
    }

    @Test func remoteCommandExportsQuotedEnvironmentAndWrapsTimeouts() throws {
        let plain = try SSHSession.remoteCommand("echo hi", environment: [:], timeout: nil, host: "h")
        #expect(plain == "echo hi")
        let full = try SSHSession.remoteCommand("echo $A", environment: ["B": "it's", "A": "1"], timeout: .milliseconds(1500), host: "h")
        #expect(full == #"export A='1' B='it'\''s'; exec timeout --kill-after=5 2 "${SHELL:-/bin/sh}" -c 'echo $A'"#)
        #expect(throws: SSHError.self) { try SSHSession.remoteCommand("true", environment: ["BAD-NAME": "x"], timeout: nil, host: "h") }
    }

    /// `'` and a combining mark are one `Character` but two scalars; the `'` is escaped like any other (found by Scripts/fuzz).
    @Test func quoteFollowedByCombiningMarkStaysEscaped() throws {
        let command = try SSHSession.remoteCommand("echo $V", environment: ["V": "'\u{301}; touch pwned"], timeout: .seconds(1), host: "h")
        #expect(command == "export V=''\\''\u{301}; touch pwned'; exec timeout --kill-after=5 1 \"${SHELL:-/bin/sh}\" -c 'echo $V'")
    }

    @Test func uploadScriptVerifiesBeforeRenaming() {
        let script = SSHSession.uploadScript(remotePath: "/srv/a b.tar", mode: 0o640, sha256: "abc")
        #expect(script.contains("t='/srv/a b.tar.deployer-upload'.$$"))
        #expect(script.contains("if [ \"$a\" != 'abc' ]; then echo \"$a\"; exit 3; fi"))
        #expect(script.hasSuffix("chmod 640 \"$t\" && mv -f \"$t\" '/srv/a b.tar'"))
    }
}
