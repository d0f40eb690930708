@testable import DeployerExecution
import Foundation
import Testing

/// Artifacts that would write outside their release directory are refused on the controller (and
/// deleted) before any host sees them; ordinary trees with links inside the release pass.
@Suite struct ArtifactContentsTests {
    /// A directory with `file`, `sub/file` and whatever `setup` (shell, run in it) adds, packed by
    /// `tar CREATE-ARGS` (run in it) into a .tar.gz; the path of that file.
    static func tarball(setup: String = "", _ create: String) async throws -> String {
        let directory = NSTemporaryDirectory() + "deployer-contents-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/tree/sub", withIntermediateDirectories: true)
        let script = "cd \"$1/tree\" && echo a >file && echo b >sub/file && \(setup.isEmpty ? ":" : setup) && tar -czf ../t.tar.gz \(create)"
        let output = try await ProcessRunner.run("/bin/sh", ["-c", script, "sh", directory])
        #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        return directory + "/t.tar.gz"
    }

    static func refusal(_ file: String) async -> String? {
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        do {
            try await ArtifactBuilder.checkContents(of: file)
            return nil
        } catch {
            #expect(!FileManager.default.fileExists(atPath: file), "a refused artifact is deleted")
            return error.message
        }
    }

    @Test func linksInsideTheReleasePass() async throws {
        let file = try await Self.tarball(setup: "ln -s sub/file cfg && ln -s ../file sub/up && ln -s . here && ln file hard", ".")
        #expect(await Self.refusal(file) == nil)
    }

    @Test(arguments: [
        ("an absolute path", "-P \"$PWD/file\""),
        ("'..' in the path", "-P ../tree/file"),
    ])
    func unsafeMemberNamesAreRefused(_ expected: String, _ create: String) async throws {
        let refusal = await Self.refusal(try await Self.tarball(create))
        #expect(refusal?.contains(expected) == true, "\(refusal ?? "accepted")")
    }

    @Test(arguments: [
        ("ln -s /etc/passwd link", "link: a symbolic link to an absolute path (/etc/passwd)"),
        ("ln -s ../../etc sub/link", "sub/link: a symbolic link out of the release (../../etc)"),
        ("ln -s sub/../.. link", "link: a symbolic link out of the release (sub/../..)"),
        ("ln -s . loop && mkdir -p x && ln -s ../loop/.. x/out", "x/out: a symbolic link out of the release (../loop/..)"),
    ])
    func symbolicLinksOutOfTheReleaseAreRefused(_ setup: String, _ expected: String) async throws {
        let refusal = await Self.refusal(try await Self.tarball(setup: setup, "."))
        #expect(refusal?.contains(expected) == true, "\(refusal ?? "accepted")")
    }

    /// `s -> .` is harmless alone, but `s/l -> ../x` would then resolve from the release's parent.
    @Test func membersBelowASymbolicLinkAreRefused() async throws {
        let refusal = await Self.refusal(try await Self.tarball(setup: "ln -s . s", "s s/file"))
        #expect(refusal?.contains("s/file: below the symbolic link s") == true, "\(refusal ?? "accepted")")
    }

    @Test func hardLinksOutOfTheReleaseAndDevicesAreRefused() {
        let listing = """
            hrw-r--r-- 0/0               0 2026-01-01 00:00 ./a link to ../../etc/shadow
            crw-r--r-- 0/0             1,3 2026-01-01 00:00 ./null
            -rw-r--r-- 0/0               6 2026-01-01 00:00 ./ok -> not a link
            """
        #expect(ArtifactBuilder.listingProblems(listing) == [
            "../../etc/shadow: '..' in the path",
            "./null: a device or FIFO",
        ])
    }

    /// Issue 21, item 5: a repository that ships deployer's release marker (or any `.deployer-*` at
    /// its top) could make a half-made release look complete; deeper down such names are the app's own.
    @Test func deployersOwnNamesAtTheTopAreRefused() async throws {
        let file = try await Self.tarball(setup: "echo '{}' >.deployer-release.json && mkdir .deployer-logs "
            + "&& echo x >.deployer-logs/a && echo y >sub/.deployer-release.json", ".")
        let refusal = await Self.refusal(file) ?? "accepted"
        #expect(refusal.contains(".deployer-release.json: a name deployer keeps for its own files"), "\(refusal)")
        #expect(refusal.contains(".deployer-logs: a name deployer keeps"), "\(refusal)")
        #expect(!refusal.contains("sub/"), "\(refusal)")
    }

    @Test func aFileThatIsNotATarballIsRefused() async throws {
        let file = NSTemporaryDirectory() + "deployer-contents-" + UUID().uuidString + "/t.tar.gz"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("not gzip".utf8).write(to: URL(fileURLWithPath: file))
        #expect(await Self.refusal(file)?.contains("is not a readable tar.gz") == true)
    }
}
