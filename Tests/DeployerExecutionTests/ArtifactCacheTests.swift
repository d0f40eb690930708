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

    /// Only the app's own folder must be committed: in a monorepo, another app's uncommitted work
    /// is not in this app's artifact and does not stop its push (it did, naming the other app's file).
    @Test func anotherAppsUncommittedChangeDoesNotStopThisOne() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        try "work in progress\n".write(toFile: repository + "/apps/api/server.txt", atomically: true, encoding: .utf8)
        let cache = repository + "/.cache"
        let web = try await Self.build(repository, app: "web", cache: cache)
        #expect(try await Self.members(web) == ["index.html"])
        let refusal = await #expect(throws: ArtifactError.self) { try await Self.build(repository, app: "api", cache: cache) }
        #expect(refusal?.message.contains("uncommitted changes: apps/api/server.txt") == true, "\(refusal?.message ?? "")")
    }

    /// A revision the repository does not have (a CI checkout that fetched one branch, a typo) and a
    /// repository with no commit yet are refused saying so and what to do; before, only
    /// "`git -C … rev-parse --verify --quiet deadbeef^{commit}` failed (exit 1)".
    @Test func aRevisionTheRepositoryLacksIsRefusedSayingWhatToDo() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let builder = ArtifactBuilder(cacheDirectory: repository + "/.cache")
        let web = repository + "/apps/web"
        let unknown = await #expect(throws: ArtifactError.self) {
            try await builder.resolveRevision(source: .git(path: web, revision: nil), revision: "deadbeef", allowDirty: false)
        }
        #expect(unknown?.message == "revision 'deadbeef' is not a commit of the git repository at \(web); check the name, "
            + "or fetch it first (git fetch origin deadbeef: a CI checkout may be shallow or hold one branch only)")

        let fresh = repository + "/fresh"
        _ = try await ProcessRunner.run("/bin/sh", ["-c", "mkdir \"$1\" && git -C \"$1\" init -q", "sh", fresh])
        let empty = await #expect(throws: ArtifactError.self) {
            try await builder.resolveRevision(source: .git(path: fresh, revision: nil), revision: nil, allowDirty: false)
        }
        #expect(empty?.message == "the git repository at \(fresh) has no commit yet (HEAD names none); commit the app, then push")
    }

    /// A secrets file committed in the folder a git source ships would be in every release on every
    /// host: the revision is refused naming it, where the recipe names it and what to do. The same
    /// file outside the shipped folder, or not committed, is no reason to refuse.
    @Test func aCommittedSecretsFileInTheShippedFolderIsRefused() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let commitIt = "mkdir -p apps/web/.deploy && echo TOKEN=x >apps/web/.deploy/secrets && git add -A "
            + "&& git -c user.email=t@example.com -c user.name=T commit -qm secrets"
        _ = try await ProcessRunner.run("/bin/sh", ["-c", "cd \"$1\" && " + commitIt, "sh", repository])
        let builder = ArtifactBuilder(cacheDirectory: repository + "/.cache")
        let web = Source.git(path: repository + "/apps/web", revision: nil)
        let commit = try #require(try await builder.resolveRevision(source: web, revision: nil, allowDirty: false))
        let location = SourceLocation(file: "apps/web/deploy.yml", line: 5, column: 15)
        let committed = SecretsFile(path: repository + "/apps/web/./.deploy/secrets", location: location)
        let refusal = await #expect(throws: ArtifactError.self) {
            try await builder.refuseCommitted(secretsFile: committed, source: web, commit: commit)
        }
        #expect(refusal?.message == "secrets_file .deploy/secrets (apps/web/deploy.yml:5:15) is committed in revision "
            + "\(commit.prefix(12)), in the folder shipped to every host: each release would hold every secret in it; remove it "
            + "from git (git rm --cached .deploy/secrets), list it in .gitignore, and change the secrets it held")
        try await builder.refuseCommitted(secretsFile: committed, source: .git(path: repository + "/apps/api", revision: nil), commit: commit)
        let uncommitted = SecretsFile(path: repository + "/apps/web/.deploy/other", location: location)
        try await builder.refuseCommitted(secretsFile: uncommitted, source: web, commit: commit)
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

    /// A file of `bytes` random bytes in `directory`, finished and ready to be stored.
    static func partial(in directory: String, bytes: Int) throws -> String {
        let path = directory + "/incoming-" + UUID().uuidString
        var data = Data(count: bytes)
        data.withUnsafeMutableBytes { for index in $0.indices { $0[index] = UInt8.random(in: 0...255) } }
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func entries(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tar.gz") }.sorted()
    }

    /// Every commit of a repository makes a new source archive: the cache keeps at most its count,
    /// the least recently used going first (before, `git-*.tar.gz` files piled up for ever).
    @Test func theCacheKeepsItsCountDroppingTheLeastRecentlyUsed() async throws {
        let repository = try await Self.monorepo()
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let cache = ArtifactCache(directory: repository + "/.cache", limits: .init(maxBytes: 1 << 30, maxEntries: 3),
                                  inUseSeconds: 0)
        let builder = ArtifactBuilder(cache: cache)
        let source = Source.git(path: repository + "/apps/web", revision: nil)
        var first: Artifact?
        for version in 1...5 {
            let commit = "echo v\(version) >apps/web/index.html && git -c user.email=t@example.com -c user.name=T commit -qam v\(version)"
            _ = try await ProcessRunner.run("/bin/sh", ["-c", "cd \"$1\" && " + commit, "sh", repository])
            let revision = try await builder.resolveRevision(source: source, revision: nil, allowDirty: false)
            let made = try await builder.build(source: source, commit: revision, envs: [])
            if version == 1 { first = made }
            if version >= 2, let kept = first {
                // Using the first artifact again makes it the most recently used: it survives.
                _ = try await builder.build(source: source, commit: kept.revision, envs: [])
            }
        }
        let names = try Self.entries(cache.directory)
        #expect(names.count == 3, "\(names)")
        #expect(names.contains((try #require(first).path as NSString).lastPathComponent), "\(names)")
        #expect(try !FileManager.default.contentsOfDirectory(atPath: cache.directory).contains { $0.hasPrefix("tmp-") })
    }

    /// The size bound holds too; an entry used within `inUseSeconds` (maybe being uploaded by another
    /// deployer process) is never deleted, even over the bound.
    @Test func theCacheKeepsItsSizeButNeverDropsAnEntryInUse() async throws {
        let directory = NSTemporaryDirectory() + "deployer-cache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bounded = ArtifactCache(directory: directory, limits: .init(maxBytes: 250_000, maxEntries: 100), inUseSeconds: 0)
        try bounded.prepare()
        for index in 0..<5 {
            _ = try await bounded.store(try Self.partial(in: directory, bytes: 100_000), as: "e\(index).tar.gz", record: nil)
        }
        #expect(try Self.entries(directory) == ["e3.tar.gz", "e4.tar.gz"])
        let busy = ArtifactCache(directory: directory, limits: bounded.limits, inUseSeconds: 3600)
        _ = try await busy.store(try Self.partial(in: directory, bytes: 100_000), as: "e5.tar.gz", record: nil)
        #expect(try Self.entries(directory) == ["e3.tar.gz", "e4.tar.gz", "e5.tar.gz"], "entries in use are kept")
    }

    /// Two caches on one directory storing and pruning at once (each lock taken on a
    /// file description of its own, as two deployer processes do): the bound holds at the end, and
    /// every entry left is whole, with its record.
    @Test func twoUsersAtOnceKeepTheCacheConsistent() async throws {
        let directory = NSTemporaryDirectory() + "deployer-cache-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let limits = ArtifactCache.Limits(maxBytes: 1 << 30, maxEntries: 4)
        let caches = [ArtifactCache(directory: directory, limits: limits, inUseSeconds: 0),
                      ArtifactCache(directory: directory, limits: limits, inUseSeconds: 0)]
        try caches[0].prepare()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, cache) in caches.enumerated() {
                group.addTask {
                    for round in 0..<20 {
                        let name = "c\(index)-\(round).tar.gz"
                        _ = try await cache.store(try Self.partial(in: directory, bytes: 1000), as: name,
                                                  record: "round \(round)\n")
                    }
                }
            }
            try await group.waitForAll()
        }
        let left = try Self.entries(directory)
        #expect(left.count == 4)
        for name in left {
            #expect(FileManager.default.contents(atPath: directory + "/" + name)?.count == 1000)
            #expect(await caches[0].lookup(name, record: "round " + name.split(separator: "-")[1].prefix { $0 != "." } + "\n") != nil)
        }
        let records = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".inputs") }
        #expect(records.count == 4, "a pruned entry's record goes with it: \(records)")
    }
}
