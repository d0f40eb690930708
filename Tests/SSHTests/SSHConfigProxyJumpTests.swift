@testable import SSH
import Testing

/// ProxyJump hops parse as OpenSSH 9.2 accepts them (valid/invalid verdicts checked with `ssh -G`).
@Suite struct SSHConfigProxyJumpTests {
    @Test(arguments: [
        ("bastion", ProxyJumpHop(user: nil, host: "bastion", port: nil)),
        ("ops@bastion:2222", ProxyJumpHop(user: "ops", host: "bastion", port: 2222)),
        ("ssh://ops@bastion:22/", ProxyJumpHop(user: "ops", host: "bastion", port: 22)),
        ("u@[::1]:2222", ProxyJumpHop(user: "u", host: "::1", port: 2222)),
        ("[::1]", ProxyJumpHop(user: nil, host: "::1", port: nil)),
        ("u@@h", ProxyJumpHop(user: "u@", host: "h", port: nil)),
        ("h:", ProxyJumpHop(user: nil, host: "h", port: nil)),
    ])
    func parses(spec: String, hop: ProxyJumpHop) {
        #expect(ProxyJumpHop(spec) == hop)
    }

    @Test(arguments: ["", "h:0", "@h", "ssh://h/path", "u@h:22:33", "a:b", "[::1", "[::1]x", "u@:22", "h:65536"])
    func refuses(spec: String) {
        #expect(ProxyJumpHop(spec) == nil)
    }

    @Test func resolvedOptionsExposeParsedHops() throws {
        let config = try SSHConfig(text: "ProxyJump ops@b1:2200,b2", path: "cfg", homeDirectory: "/h")
        let options = config.resolve(host: "x", localUser: "me", homeDirectory: "/h")
        #expect(options.proxyJumpHops == [ProxyJumpHop(user: "ops", host: "b1", port: 2200), ProxyJumpHop(user: nil, host: "b2", port: nil)])
    }
}
