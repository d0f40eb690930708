@testable import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The controller's artifact cache reuses a file only for the inputs recorded beside it.
@Suite struct ArtifactCacheTests {
    /// A committed git repository with `apps/api/server.txt` and `apps/web/index.html`; its path.
    static func monorepo() async throws -> String {
        let path = NSTemporaryDirectory() + "deployer-cache-" + UUID().uuidString
        let script = """
            mkdir -p "$1/apps/api" "$1/apps/web" && cd "$1" && echo api >apps/api/server.txt && echo web >apps/web/index.html \
              && git init -q && git add -A && git -c user.email=t@example.com -c user.name=T commit -qm apps
            """
        let output = try await ProcessRunner.run("/bin/sh", ["-c", script, "sh", path])
        try #require(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        return path
    }

    static func build(_ repository: String, app: String, cache: String) async throws -> Artifact {
        let builder = ArtifactBuilder(cacheDirectory: cache)
        let source = Source.git(path: repository + "/apps/" + app, revision: nil)
        let commit = try await builder.resolveRevision(source: source, revision: nil, allowDirty: false)
        return try await builder.build(source: source, commit: commit, envs: [])
    }

    static func members(_ artifact: Artifact) async throws -> [String] {
        let listing = try await ProcessRunner.run("/usr/bin/env", ["tar", "-tzf", artifact.path])
        return String(decoding: listing.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func twoAppsAtOneCommitGetTheirOwnArtifacts() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let cache = repository + "/.cache"
        let api = try await Self.build(repository, app: "api", cache: cache)
        let web = try await Self.build(repository, app: "web", cache: cache)
        #expect(api.digest != web.digest)
        #expect(try await Self.members(api) == ["server.txt"])
        #expect(try await Self.members(web) == ["index.html"])
        let again = try await Self.build(repository, app: "web", cache: cache)
        #expect(again.path == web.path && again.digest == web.digest, "a second build reuses the cached file")
        let record = try String(contentsOfFile: String(web.path.dropLast(".tar.gz".count)) + ".inputs", encoding: .utf8)
        #expect(record.contains("subdirectory apps/web/\n"), "\(record)")
    }

    /// A cached file whose recorded inputs are missing or differ is made again, never used.
    @Test func aFileWhoseRecordDiffersIsRebuilt() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let cache = repository + "/.cache"
        let web = try await Self.build(repository, app: "web", cache: cache)
        let record = String(web.path.dropLast(".tar.gz".count)) + ".inputs"
        let api = try await Self.build(repository, app: "api", cache: cache)
        for damage in ["rm -f \"$2\"", "echo 'tree 0000' >\"$2\""] {
            _ = try await ProcessRunner.run("/bin/sh", ["-c", "cp \"$3\" \"$1\" && " + damage, "sh", web.path, record, api.path])
            let rebuilt = try await Self.build(repository, app: "web", cache: cache)
            #expect(rebuilt.digest == web.digest, "after '\(damage)'")
            #expect(try await Self.members(rebuilt) == ["index.html"])
        }
    }

    /// `apps/web/vendor` is a real submodule (a repository of its own, added with `git submodule add`).
    @Test func submodulesAreInTheArtifactUnlessTurnedOff() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let script = """
            set -e; cd "$1"; export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.com
            mkdir ../$2-lib && cd ../$2-lib && git init -q && echo lib >lib.txt && git add -A && git commit -qm lib
            cd "$1" && git -c protocol.file.allow=always submodule add -q "$PWD/../$2-lib" apps/web/vendor && git commit -qm vendor
            """
        let name = (repository as NSString).lastPathComponent
        defer { try? FileManager.default.removeItem(atPath: repository + "/../" + name + "-lib") }
        let added = try await ProcessRunner.run("/bin/sh", ["-c", script, "sh", repository, name])
        try #require(added.status == 0, "\(String(decoding: added.stderr, as: UTF8.self))")
        let cache = repository + "/.cache"
        let web = try await Self.build(repository, app: "web", cache: cache)
        let members = try await Self.members(web)
        #expect(members.contains("vendor/lib.txt"), "\(members)")

        let builder = ArtifactBuilder(cacheDirectory: cache)
        let without = try await builder.build(source: .git(path: repository + "/apps/web", revision: nil, submodules: false),
                                              commit: web.revision, envs: [])
        #expect(without.path != web.path, "the submodules setting is part of the cache key")
        #expect(try await !Self.members(without).contains("vendor/lib.txt"))

        _ = try await ProcessRunner.run("/bin/sh", ["-c", "cd \"$1\" && git submodule -q deinit -f apps/web/vendor && rm -rf .cache",
                                                    "sh", repository])
        let refusal = await #expect(throws: ArtifactError.self) { try await Self.build(repository, app: "web", cache: cache) }
        #expect(refusal?.message.contains("submodule 'vendor'") == true
                && refusal?.message.contains("git submodule update --init") == true, "\(refusal?.message ?? "")")
    }
}
