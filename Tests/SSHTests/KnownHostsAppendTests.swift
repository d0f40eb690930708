import Dispatch
import Foundation
import Synchronization
@testable import SSH
import Testing

/// `accept-new` recording a key: once however many runs record it together, and in the file's form.
@Suite struct KnownHostsAppendTests {
    static let key: [UInt8] = Array("key-A ed25519 blob".utf8)
    static let other: [UInt8] = Array("key-B ed25519 blob".utf8)
    static let ed = "ssh-ed25519"

    static func temporaryFile() throws -> (directory: String, file: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (directory, directory + "/known_hosts")
    }

    static func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func manyRunsRecordingTheSameHostTogetherWriteOneLine() throws {
        let (directory, file) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each call opens the file itself, as a separate deployer process would.
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            do {
                try KnownHosts.append(host: "web1", port: 2222, keyType: Self.ed, key: Self.key, to: file)
                try KnownHosts.append(host: "web\(index + 2)", port: 22, keyType: Self.ed, key: Self.other, to: file)
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let lines = try Self.lines(file)
        #expect(lines.filter { $0.hasPrefix("[web1]:2222 ") } == ["[web1]:2222 \(Self.ed) \(Data(Self.key).base64EncodedString())"])
        #expect(lines.count == 33)
        #expect(Set(lines).count == 33)
    }

    @Test func aHashedFileGetsHashedEntries() throws {
        let (directory, file) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try (KnownHosts.hashedEntryLine(host: "db1", port: 22, keyType: Self.ed, key: Self.other) + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        try KnownHosts.append(host: "web1", port: 2222, keyType: Self.ed, key: Self.key, to: file)
        let lines = try Self.lines(file)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("|1|") })
        #expect(!lines.joined().contains("web1"))
        #expect(try KnownHosts(files: [file]).check(host: "web1", port: 2222, keyType: Self.ed, key: Self.key) == .match)
    }

    @Test func aPlainOrMixedFileKeepsPlainEntriesUnlessHashKnownHostsSaysSo() throws {
        let (directory, file) = try Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let mixed = KnownHosts.entryLine(host: "db1", port: 22, keyType: Self.ed, key: Self.other) + "\n"
            + KnownHosts.hashedEntryLine(host: "db2", port: 22, keyType: Self.ed, key: Self.other) + "\n"
        try mixed.write(toFile: file, atomically: true, encoding: .utf8)
        try KnownHosts.append(host: "web1", port: 22, keyType: Self.ed, key: Self.key, to: file)
        try KnownHosts.append(host: "web2", port: 22, keyType: Self.ed, key: Self.key, to: file, hashed: true)
        let lines = try Self.lines(file)
        #expect(lines[2].hasPrefix("web1 "))
        #expect(lines[3].hasPrefix("|1|"))
    }
}
