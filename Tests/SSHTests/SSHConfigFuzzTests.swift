import Foundation
@testable import SSH
import FuzzSupport
import Testing

/// Mutated and random input never crashes either parser (errors are fine), and hostile patterns stay fast.
@Suite struct SSHConfigFuzzTests {
    typealias Generator = SplitMix64

    static let alphabet: [UInt8] = Array(" \t\n\r=#\"'\\%*?!,|[]:@~/.-_0123456789aAhHkpruCdz".utf8) + [0, 0xC3, 0xA9, 0xFF]

    static func mutate(_ seed: String, _ random: inout Generator) -> String {
        var bytes = Array(seed.utf8)
        for _ in 0..<Int.random(in: 1...12, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
            case 1: if !bytes.isEmpty { bytes.remove(at: position) }
            case 2:
                let end = min(bytes.count, position + Int.random(in: 0...40, using: &random))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default: if !bytes.isEmpty { bytes[position] = alphabet.randomElement(using: &random)! }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let configSeeds = [
        "Host web* !web3\n  HostName %h.example.com\n  Port 2222\n  User deploy\n  IdentityFile ~/.ssh/%r@%h:%p\n",
        "Host=a b\n ProxyJump u@b:22,c\n ConnectTimeout 1m5s\n ServerAliveInterval 10\nMatch all\n UserKnownHostsFile ~/kh %d/kh\n",
        "IgnoreUnknown Use*\nUseKeychain yes\nStrictHostKeyChecking accept-new\nIdentitiesOnly yes\nHostKeyAlias K\nInclude nothing-*.conf\n",
    ]

    static let knownHostsSeeds = [
        "web1,web2 ssh-ed25519 a2V5LUE=\n[web1]:2222 ssh-ed25519 a2V5LUI=\n",
        "@revoked * ssh-ed25519 a2V5LUI=\n@cert-authority *.x ssh-ed25519 a2V5LUE=\n*.example.com,!bad.example.com ecdsa-sha2-nistp256 a2V5LUM=\n",
        "|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM= ssh-ed25519 a2V5LUE=\n# comment\n",
    ]

    static let hosts = ["web1", "web3", "a.example.com", "", "*", "[x]:1", "WEB1", "é"]

    @Test func mutatedConfigsNeverCrash() {
        var random = Generator(state: 0x5EED_C0F1)
        let home = "/nonexistent-deployer-fuzz-home"
        for iteration in 0..<1500 {
            let text = Self.mutate(Self.configSeeds[iteration % Self.configSeeds.count], &random)
            guard let config = try? SSHConfig(text: text, path: "fuzz", homeDirectory: home) else {
                continue
            }
            for host in Self.hosts {
                _ = config.resolve(host: host, user: nil, port: nil, localUser: "me", homeDirectory: home)
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = Generator(state: 42)
        for _ in 0..<1000 {
            let bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! }
            let text = String(decoding: bytes, as: UTF8.self)
            if let config = try? SSHConfig(text: text, path: "fuzz", homeDirectory: "/nonexistent-deployer-fuzz-home") {
                _ = config.resolve(host: "h", localUser: "me", homeDirectory: "/h")
            }
            let known = KnownHosts(text: text, file: "fuzz")
            _ = known.check(host: "h", port: 22, keyType: "ssh-ed25519", key: [1, 2, 3])
        }
    }

    @Test func mutatedKnownHostsNeverCrash() {
        var random = Generator(state: 0xBADC_0FFE)
        for iteration in 0..<3000 {
            let text = Self.mutate(Self.knownHostsSeeds[iteration % Self.knownHostsSeeds.count], &random)
            let known = KnownHosts(text: text, file: "fuzz")
            for host in Self.hosts {
                let port = [22, 2222, 0, -1, 65535].randomElement(using: &random)!
                _ = known.check(host: host, port: port, keyType: "ssh-ed25519", key: Array("key-A".utf8))
                _ = known.knownKeyTypes(host: host, port: port)
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func hostilePatternsStayFast() {
        let pattern = String(repeating: "*a", count: 200) + "*b"
        let subject = String(repeating: "a", count: 5000)
        let start = ContinuousClock.now
        #expect(!WildcardPattern.matches(subject, pattern: pattern))
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
