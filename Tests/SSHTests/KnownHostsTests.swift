import Foundation
@testable import SSH
import Testing

/// known_hosts lookups with OpenSSH's rules, on synthetic key blobs (the parser does not look inside them).
@Suite struct KnownHostsTests {
    static let keyA: [UInt8] = Array("key-A ed25519 blob".utf8)
    static let keyB: [UInt8] = Array("key-B ed25519 blob".utf8)
    static let keyC: [UInt8] = Array("key-C ecdsa blob".utf8)
    static let ed = "ssh-ed25519"
    static let ecdsa = "ecdsa-sha2-nistp256"

    static func b64(_ key: [UInt8]) -> String { Data(key).base64EncodedString() }

    static let text = """
        # comment line

        web1,web2,10.0.0.5 \(ed) \(b64(keyA)) web hosts
        [web1]:2222 \(ed) \(b64(keyB))
        [web1]:22 \(ed) \(b64(keyC))
        *.example.com,!bad.example.com \(ed) \(b64(keyA))
        [*.example.com]:2?22 \(ecdsa) \(b64(keyC))
        db1 \(ecdsa) \(b64(keyC))
        db2 \(ed) \(b64(keyB))
        db2 \(ed) \(b64(keyA))
        @revoked * \(ed) \(b64(keyB))
        @cert-authority *.example.com \(ed) \(b64(keyA))
        broken-line-without-key
        web9 \(ed) !!!notbase64!!!
        """

    static let hosts = KnownHosts(text: text, file: "kh")

    struct Case: Sendable, CustomTestStringConvertible {
        let host: String
        let port: Int
        let keyType: String
        let key: [UInt8]
        let expected: KnownHosts.Match
        var testDescription: String { "\(host):\(port) \(keyType)" }
    }

    static let cases: [Case] = [
        Case(host: "web1", port: 22, keyType: ed, key: keyA, expected: .match),
        Case(host: "WEB2", port: 22, keyType: ed, key: keyA, expected: .match),
        Case(host: "10.0.0.5", port: 22, keyType: ed, key: keyA, expected: .match),
        Case(host: "web1", port: 22, keyType: ed, key: keyC, expected: .mismatch(file: "kh", line: 3, knownKeyType: ed)),
        // A non-22 port is looked up only as [host]:port: the plain web1 line does not apply.
        Case(host: "web1", port: 2222, keyType: ed, key: keyA, expected: .mismatch(file: "kh", line: 4, knownKeyType: ed)),
        Case(host: "web2", port: 2222, keyType: ed, key: keyA, expected: .notFound),
        Case(host: "a.example.com", port: 22, keyType: ed, key: keyA, expected: .match),
        Case(host: "bad.example.com", port: 22, keyType: ed, key: keyA, expected: .notFound),
        Case(host: "a.example.com", port: 2022, keyType: ecdsa, key: keyC, expected: .match),
        Case(host: "a.example.com", port: 2023, keyType: ecdsa, key: keyC, expected: .notFound),
        // Only another key type is known: a mismatch naming the known type.
        Case(host: "db1", port: 22, keyType: ed, key: keyA, expected: .mismatch(file: "kh", line: 8, knownKeyType: ecdsa)),
        // Any matching line with the same key wins over a different key on an earlier line.
        Case(host: "db2", port: 22, keyType: ed, key: keyA, expected: .match),
        // @revoked wins even though db2 lists the key.
        Case(host: "db2", port: 22, keyType: ed, key: keyB, expected: .revoked(file: "kh", line: 11)),
        Case(host: "nowhere", port: 22, keyType: ed, key: keyA, expected: .notFound),
    ]

    @Test(arguments: cases)
    func checks(_ testCase: Case) {
        #expect(Self.hosts.check(host: testCase.host, port: testCase.port, keyType: testCase.keyType, key: testCase.key) == testCase.expected)
    }

    @Test func knownKeyTypesInFileOrderWithoutRevoked() {
        #expect(Self.hosts.knownKeyTypes(host: "db2", port: 22) == [Self.ed])
        #expect(Self.hosts.knownKeyTypes(host: "db1", port: 22) == [Self.ecdsa])
        #expect(Self.hosts.knownKeyTypes(host: "a.example.com", port: 2022) == [Self.ecdsa])
        #expect(Self.hosts.knownKeyTypes(host: "nowhere", port: 22) == [])
    }

    @Test func unsupportedAndBrokenLinesAreReported() {
        #expect(Self.hosts.unsupportedLines == [
            "kh:13: expected 'hosts keytype base64-key'; the line is ignored",
            "kh:14: the key of type ssh-ed25519 is not valid base64; the line is ignored",
        ])
    }

    /// A `@cert-authority` line vouches for hosts by certificate: kept apart, never a host key.
    @Test func certificateAuthorityLinesAreKeptApartFromHostKeys() {
        #expect(Self.hosts.certificateAuthority(host: "bad.example.com", port: 22).map { "\($0.file):\($0.line)" } == "kh:12")
        #expect(Self.hosts.certificateAuthority(host: "db1", port: 22) == nil)
        #expect(Self.hosts.check(host: "bad.example.com", port: 22, keyType: Self.ed, key: Self.keyA) == .notFound)
    }

    @Test func crlfLineEndingsAreAccepted() {
        let known = KnownHosts(text: "web1 \(Self.ed) \(Self.b64(Self.keyA))\r\nweb2 \(Self.ed) \(Self.b64(Self.keyB))\r\n", file: "kh")
        #expect(known.check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .match)
        #expect(known.check(host: "web2", port: 22, keyType: Self.ed, key: Self.keyB) == .match)
        #expect(known.unsupportedLines.isEmpty)
    }

    @Test func entryLineUsesBracketsOnlyForOtherPorts() {
        #expect(KnownHosts.entryLine(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == "web1 ssh-ed25519 \(Self.b64(Self.keyA))")
        #expect(KnownHosts.entryLine(host: "web1", port: 2222, keyType: Self.ed, key: Self.keyA) == "[web1]:2222 ssh-ed25519 \(Self.b64(Self.keyA))")
    }

    @Test func hashedEntryLineIsReadBack() {
        let salt = [UInt8](repeating: 7, count: 20)
        let line = KnownHosts.hashedEntryLine(host: "web1", port: 2222, keyType: Self.ed, key: Self.keyA, salt: salt)
        #expect(line.hasPrefix("|1|BwcHBwcHBwcHBwcHBwcHBwcHBwc=|"))
        let known = KnownHosts(text: line + "\n" + KnownHosts.hashedEntryLine(host: "web2", port: 22, keyType: Self.ed, key: Self.keyB), file: "kh")
        #expect(known.check(host: "web1", port: 2222, keyType: Self.ed, key: Self.keyA) == .match)
        #expect(known.check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .notFound)
        #expect(known.check(host: "web2", port: 22, keyType: Self.ed, key: Self.keyB) == .match)
    }

    @Test func appendCreatesPrivateDirectoryAndFileAndIsReadBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/nested/known_hosts"
        try KnownHosts.append(host: "web1", port: 2222, keyType: Self.ed, key: Self.keyA, to: file)
        try KnownHosts.append(host: "web2", port: 22, keyType: Self.ecdsa, key: Self.keyC, to: file)
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: dir + "/nested")
        #expect((dirAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let known = try KnownHosts(files: [dir + "/missing", file])
        #expect(known.check(host: "web1", port: 2222, keyType: Self.ed, key: Self.keyA) == .match)
        #expect(known.check(host: "web2", port: 22, keyType: Self.ecdsa, key: Self.keyC) == .match)
        #expect(known.check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .notFound)
    }

    @Test func appendAddsMissingFinalNewline() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/known_hosts"
        try "old \(Self.ed) \(Self.b64(Self.keyB))".write(toFile: file, atomically: true, encoding: .utf8)
        try KnownHosts.append(host: "new", port: 22, keyType: Self.ed, key: Self.keyA, to: file)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text == "old \(Self.ed) \(Self.b64(Self.keyB))\nnew \(Self.ed) \(Self.b64(Self.keyA))\n")
    }

    @Test func sharedParseIsReadAgainAfterTheFileChanges() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/known_hosts"
        #expect(try KnownHosts.shared(files: [file]).check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .notFound)
        try KnownHosts.append(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA, to: file)
        #expect(try KnownHosts.shared(files: [file]).check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .match)
        try KnownHosts.append(host: "web2", port: 22, keyType: Self.ed, key: Self.keyB, to: file)
        let again = try KnownHosts.shared(files: [file])
        #expect(again.check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .match)
        #expect(again.check(host: "web2", port: 22, keyType: Self.ed, key: Self.keyB) == .match)
        #expect(throws: KnownHostsError.self) { try KnownHosts.shared(files: [dir]) }
    }

    @Test func unreadableFileIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(throws: KnownHostsError(file: dir, message: "cannot read this known_hosts file; check its permissions, or point UserKnownHostsFile elsewhere")) {
            try KnownHosts(files: [dir])
        }
    }

    @Test func devNullAndEmptyFilesReadAsEmpty() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let empty = dir + "/empty"
        let known = dir + "/known_hosts"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        try "web1 \(Self.ed) \(Self.b64(Self.keyA))\n".write(toFile: known, atomically: true, encoding: .utf8)
        let hosts = try KnownHosts(files: ["/dev/null", empty, known])
        #expect(hosts.check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .match)
        #expect(try KnownHosts(files: ["/dev/null"]).check(host: "web1", port: 22, keyType: Self.ed, key: Self.keyA) == .notFound)
        #expect(hosts.unsupportedLines.isEmpty)
    }

    @Test func fingerprintOfKnownBlob() {
        // SHA-256 of "abc", base64 without padding.
        #expect(KnownHosts.fingerprint(key: Array("abc".utf8)) == "SHA256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0")
    }
}

extension KnownHostsTests {
    @Test func lookupKeyPrefersHostKeyAliasWithoutPort() throws {
        let config = try SSHConfig(text: "Host a\n  HostName 10.0.0.1\n  Port 2222\nHost b\n  HostKeyAlias Shared\n  Port 2222\n", path: "cfg", homeDirectory: "/h")
        let a = config.resolve(host: "a", localUser: "me", homeDirectory: "/h")
        #expect(KnownHosts.lookupKey(for: a) == ("10.0.0.1", 2222))
        let b = config.resolve(host: "b", localUser: "me", homeDirectory: "/h")
        #expect(KnownHosts.lookupKey(for: b) == ("shared", 22))
    }
}
