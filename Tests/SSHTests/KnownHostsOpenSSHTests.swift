import Foundation
@testable import SSH
import Testing

/// known_hosts and fingerprints against OpenSSH's own tools: keys from `ssh-keygen -t`, hashed
/// names from `ssh-keygen -H`, lookups from `ssh-keygen -F`, fingerprints from `ssh-keygen -lf`.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")))
struct KnownHostsOpenSSHTests {
    /// A fresh directory with an ed25519 and an ECDSA key pair.
    struct Keys: ~Copyable {
        let dir: String
        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("khssh-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for type in ["ed25519", "ecdsa"] {
                _ = try KnownHostsOpenSSHTests.run(["-q", "-t", type, "-N", "", "-C", "test", "-f", dir + "/id_" + type])
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        /// Key type and blob of a generated public key.
        func publicKey(_ type: String) throws -> (type: String, blob: [UInt8]) {
            let fields = try String(contentsOfFile: dir + "/id_\(type).pub", encoding: .utf8).split(separator: " ")
            return (String(fields[0]), Array(Data(base64Encoded: String(fields[1]))!))
        }
    }

    /// Runs ssh-keygen; returns exit status and standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try TestSandbox.capture("/usr/bin/ssh-keygen", arguments)
    }

    @Test(arguments: ["ed25519", "ecdsa"])
    func fingerprintMatchesSSHKeygen(type: String) throws {
        let keys = try Keys()
        let key = try keys.publicKey(type)
        let printed = try Self.run(["-l", "-E", "sha256", "-f", keys.dir + "/id_\(type).pub"]).output
        let expected = printed.split(separator: " ")[1]
        #expect(KnownHosts.fingerprint(key: key.blob) == String(expected))
    }

    @Test func hashedEntriesFromSSHKeygenMatch() throws {
        let keys = try Keys()
        let ed = try keys.publicKey("ed25519")
        let ecdsa = try keys.publicKey("ecdsa")
        let file = keys.dir + "/known_hosts"
        let b64ed = Data(ed.blob).base64EncodedString()
        let b64ecdsa = Data(ecdsa.blob).base64EncodedString()
        try """
            web1,10.0.0.5 \(ed.type) \(b64ed)
            [web1]:2222 \(ecdsa.type) \(b64ecdsa)
            [Db1.Example.com]:2200 \(ed.type) \(b64ed)

            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.run(["-H", "-f", file]).status == 0)
        let hashedText = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!hashedText.contains("web1"))
        #expect(hashedText.hasPrefix("|1|"))

        let known = try KnownHosts(files: [file])
        #expect(known.unsupportedLines.isEmpty)
        #expect(known.check(host: "web1", port: 22, keyType: ed.type, key: ed.blob) == .match)
        #expect(known.check(host: "10.0.0.5", port: 22, keyType: ed.type, key: ed.blob) == .match)
        #expect(known.check(host: "web1", port: 2222, keyType: ecdsa.type, key: ecdsa.blob) == .match)
        #expect(known.check(host: "db1.example.com", port: 2200, keyType: ed.type, key: ed.blob) == .match)
        #expect(known.check(host: "web1", port: 2200, keyType: ed.type, key: ed.blob) == .notFound)
        #expect(known.knownKeyTypes(host: "web1", port: 2222) == [ecdsa.type])
        guard case .mismatch(_, let line, let knownType) = known.check(host: "web1", port: 22, keyType: ed.type, key: ecdsa.blob) else {
            Issue.record("a different ed25519 key for web1 should be a mismatch")
            return
        }
        #expect(line == 1)
        #expect(knownType == ed.type)
    }

    @Test func lookupsAgreeWithSSHKeygenF() throws {
        let keys = try Keys()
        let ed = try keys.publicKey("ed25519")
        let b64 = Data(ed.blob).base64EncodedString()
        let file = keys.dir + "/known_hosts"
        try """
            web1,web2 \(ed.type) \(b64)
            [web3]:2222 \(ed.type) \(b64)
            *.example.com,!bad.example.com \(ed.type) \(b64)
            [*.test]:22?? \(ed.type) \(b64)
            10.1.?.* \(ed.type) \(b64)

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let known = try KnownHosts(files: [file])
        let lookups: [(String, Int)] = [
            ("web1", 22), ("web2", 22), ("web1", 2222), ("web3", 2222), ("web3", 22), ("WEB1", 22),
            ("a.example.com", 22), ("bad.example.com", 22), ("a.example.com", 2200), ("x.test", 2200),
            ("x.test", 22), ("x.test", 220), ("10.1.2.3", 22), ("10.1.22.3", 22), ("other", 22),
        ]
        for (host, port) in lookups {
            let name = port == 22 ? host : "[\(host)]:\(port)"
            let found = try Self.run(["-F", name, "-f", file]).status == 0
            let ours = known.check(host: host, port: port, keyType: ed.type, key: ed.blob)
            #expect((ours == .match) == found, "\(name): ssh-keygen found=\(found), we said \(ours)")
        }
    }

    @Test func appendedLinesAreFoundBySSHKeygen() throws {
        let keys = try Keys()
        let ed = try keys.publicKey("ed25519")
        let file = keys.dir + "/sub/known_hosts"
        try KnownHosts.append(host: "web1", port: 2222, keyType: ed.type, key: ed.blob, to: file)
        try KnownHosts.append(host: "web2", port: 22, keyType: ed.type, key: ed.blob, to: file, hashed: true)
        #expect(try Self.run(["-F", "[web1]:2222", "-f", file]).status == 0)
        #expect(try Self.run(["-F", "web1", "-f", file]).status != 0)
        #expect(try Self.run(["-F", "web2", "-f", file]).status == 0)
        #expect(try !String(contentsOfFile: file, encoding: .utf8).contains("web2"))
    }
}
