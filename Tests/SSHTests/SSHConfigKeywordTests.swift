import Foundation
@testable import SSH
import Testing

/// Every ssh_config keyword has a treatment (honoured, refused or irrelevant), checked against
/// the manual of the OpenSSH client installed here, so a keyword a new OpenSSH adds cannot be
/// forgotten.
@Suite struct SSHConfigKeywordTests {
    static let manual = "/usr/share/man/man5/ssh_config.5.gz"

    /// The keywords ssh_config(5) documents (its `.It Cm Keyword` entries), lower-cased.
    static func documentedKeywords() throws -> Set<String> {
        let source = try TestSandbox.shell(["zcat", manual])
        return Set(source.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix(".It Cm ") else { return nil }
            return line.dropFirst(".It Cm ".count).split(separator: " ").first.map { $0.lowercased() }
        })
    }

    @Test func everyKeywordOfTheInstalledManualIsClassified() throws {
        try #require(FileManager.default.fileExists(atPath: Self.manual),
                     "ssh_config(5) is missing: install openssh-client with its manual pages (Scripts/setup)")
        let documented = try Self.documentedKeywords()
        #expect(documented.count > 90, "parsed too few keywords from \(Self.manual): \(documented.sorted())")
        let unclassified = documented.filter { SSHConfigKeyword.table[$0] == nil }
        #expect(unclassified.isEmpty, "add these to SSHConfigKeyword.table: \(unclassified.sorted())")
    }

    /// Each keyword the parser reads is marked honoured, and each one marked honoured is read:
    /// a config with every honoured keyword parses into settings, never into silence.
    @Test func everyHonouredKeywordIsRead() throws {
        let honoured = SSHConfigKeyword.table.filter { $0.value == .honoured }.keys
        #expect(Set(honoured) == [
            "host", "match", "include", "ignoreunknown", "hostname", "port", "user", "identityfile", "identityfile2", "certificatefile",
            "identitiesonly", "connecttimeout", "setuptimeout", "serveraliveinterval", "protocolkeepalives",
            "serveralivecountmax", "connectionattempts", "stricthostkeychecking", "userknownhostsfile", "globalknownhostsfile", "identityagent",
            "hashknownhosts", "hostkeyalias", "proxyjump", "proxycommand",
            "kexalgorithms", "hostkeyalgorithms", "ciphers", "macs", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
        ])
        let config = try SSHConfig(text: """
            Host h
              IdentityFile2 /k/old
              SetupTimeOut 7
            """, path: "config", homeDirectory: "/home/me")
        let resolved = config.resolve(host: "h", localUser: "me", homeDirectory: "/home/me")
        #expect(resolved.identityFiles == ["/k/old"])
        #expect(resolved.serverAliveInterval == 7)
    }

    /// docs/ssh.md lists every refused and every irrelevant keyword, each in its own table row.
    @Test func theDocumentationListsEveryRefusedAndIrrelevantKeyword() throws {
        let documentation = try String(contentsOfFile: TestSandbox.repositoryRoot + "/docs/ssh.md", encoding: .utf8).lowercased()
        let undocumented = SSHConfigKeyword.table.filter { $0.value != .honoured && !documentation.contains("| `\($0.key)` |") }.keys
        #expect(undocumented.isEmpty, "add to docs/ssh.md: \(undocumented.sorted())")
    }

    @Test func refusedKeywordsNeedAValue() {
        #expect(throws: SSHConfigError.self) { try SSHConfig(text: "ForwardAgent\n", path: "config", homeDirectory: "/home/me") }
    }
}
