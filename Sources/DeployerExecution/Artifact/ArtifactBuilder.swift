import Checksums
import DeployerModel
import DeployerPlanning
import Foundation
import SSH

/// Makes the artifact of a source: `git archive` of a revision (refusing a
/// dirty work tree unless allowed) or a `dir:` tree as a reproducible tar.gz,
/// kept in the controller's `ArtifactCache` under the hash of everything that decides its
/// contents (`ArtifactInputs`) so a re-push does not rebuild it.
public struct ArtifactBuilder: Sendable {
    public var cache: ArtifactCache
    public var cacheDirectory: String { cache.directory }

    public init(cache: ArtifactCache) { self.cache = cache }
    public init(cacheDirectory: String) { self.init(cache: ArtifactCache(directory: cacheDirectory)) }

    /// The full commit id of `revision` (HEAD when nil) in the work tree at
    /// `path`; refuses uncommitted changes to tracked files under `path` unless `allowDirty`.
    /// Changes elsewhere in the repository (another app of a monorepo) are not in the artifact,
    /// which holds `path`'s folder only, so they do not stop it.
    public func resolveRevision(source: Source, revision: String?, allowDirty: Bool) async throws(ArtifactError) -> String? {
        guard case let .git(path, recipeRevision, _) = source else { return nil }
        let wanted = revision ?? recipeRevision ?? "HEAD"
        if !allowDirty {
            let status = try await git(path, ["status", "--porcelain", "--untracked-files=no", "--", "."])
            let files = String(decoding: status, as: UTF8.self).split(separator: "\n").map { String($0.dropFirst(3)) }
            if !files.isEmpty {
                throw ArtifactError("the work tree at \(path) has uncommitted changes: " + files.joined(separator: ", ")
                    + "\n  the artifact is made from commits only; commit or stash them, or pass --allow-dirty to deploy \(wanted) anyway")
            }
        }
        return try await commit(named: wanted, at: path)
    }

    /// Refuses `commit` when the folder a git source ships holds the recipe's secrets file: committed,
    /// it would be in every release on every host (and it is in the repository's history already).
    public func refuseCommitted(secretsFile: SecretsFile, source: Source, commit: String) async throws(ArtifactError) {
        guard case let .git(path, _, _) = source else { return }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.path
        let file = URL(fileURLWithPath: secretsFile.path).standardizedFileURL.path
        guard file.hasPrefix(folder == "/" ? "/" : folder + "/") else { return }
        let relative = String(file.dropFirst(folder == "/" ? 1 : folder.count + 1))
        let found = try await outcome("/usr/bin/env", ["git", "-C", path, "cat-file", "-e", commit + ":./" + relative])
        guard found.status == 0, !found.signaled else { return }
        throw ArtifactError("secrets_file \(relative) (\(secretsFile.location)) is committed in revision \(commit.prefix(12)), "
            + "in the folder shipped to every host: each release would hold every secret in it; remove it from git "
            + "(git rm --cached \(relative)), list it in .gitignore, and change the secrets it held")
    }

    /// Whether this controller can build the artifact of `revision` itself: a
    /// `git` source whose repository has that commit. `deployer promote` trusts
    /// another environment's copy of an artifact only when it cannot.
    public func canBuild(source: Source, revision: String) async -> Bool {
        guard case let .git(path, _, _) = source else { return false }
        return (try? await git(path, ["cat-file", "-e", revision + "^{commit}"])) != nil
    }

    /// Builds (or reuses) the artifact of `commit` (from `resolveRevision`), hashing it by streaming.
    public func build(source: Source, commit: String?, envs: [DependencyEnv]) async throws(ArtifactError) -> Artifact {
        try cache.prepare()
        switch source {
        case let .git(path, _, submodules):
            guard let commit else { throw ArtifactError("no revision resolved for \(path)") }
            let inputs = ArtifactInputs(tree: try await gitLine(path, ["rev-parse", commit + ":./"]),
                                        subdirectory: try await gitLine(path, ["rev-parse", "--show-prefix"]),
                                        submodules: submodules)
            let file = try await cachedArchive(of: commit, at: path, inputs: inputs)
            let keys = try await Self.envKeys(envs) { keyFile throws(ArtifactError) in
                do { return try await git(path, ["show", commit + ":./" + keyFile]) } catch {
                    throw ArtifactError("key file '\(keyFile)' is not in revision " + String(commit.prefix(12)))
                }
            }
            var made = try artifact(at: file, revision: commit, envKeys: keys)
            made.revisionTime = Int(try await gitLine(path, ["log", "-1", "--format=%ct", commit]))
            return made
        case let .dir(path):
            let partial = cache.scratchPath("dir") + ".tar.gz"
            defer { try? FileManager.default.removeItem(atPath: partial) }
            let pipeline = ShellQuote.join(["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
                                            "--numeric-owner", "-C", path, "-cf", "-", "."])
                + " | gzip -n >" + ShellQuote.quote(partial)
            _ = try await run("/bin/bash", ["-o", "pipefail", "-c", pipeline])
            try await Self.checkContents(of: partial)
            let keys = try await Self.envKeys(envs) { keyFile throws(ArtifactError) in
                guard let data = FileManager.default.contents(atPath: path + "/" + keyFile) else {
                    throw ArtifactError("key file '\(keyFile)' is not in \(path)")
                }
                return [UInt8](data)
            }
            let hashed = try artifact(at: partial, revision: "", envKeys: keys)
            let file = try await cache.store(partial, as: "dir-" + hashed.digest + ".tar.gz", record: nil)
            return Artifact(path: file, digest: hashed.digest, bytes: hashed.bytes,
                            revision: "dir-" + String(hashed.digest.prefix(12)), envKeys: keys)
        }
    }

    /// The artifact of `commit` made with `inputs`: the cached file when the inputs recorded beside
    /// it are these, else made again (a missing or different record is never trusted).
    private func cachedArchive(of commit: String, at path: String, inputs: ArtifactInputs) async throws(ArtifactError) -> String {
        let name = "git-" + inputs.cacheKey + ".tar.gz"
        if let file = await cache.lookup(name, record: inputs.text) { return file }
        let partial = cache.scratchPath("git") + ".tar.gz"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let links = inputs.submodules ? try await gitlinks(in: inputs.tree, at: path) : []
        if links.isEmpty {
            _ = try await git(path, ["archive", "--format=tar.gz", "-o", partial, commit])
        } else {
            try await archiveWithSubmodules(commit, at: path, links: links, to: partial)
        }
        try await Self.checkContents(of: partial)
        return try await cache.store(partial, as: name, record: inputs.text)
    }

    /// Each environment's key from its key files' contents, as `read` returns them.
    private static func envKeys(_ envs: [DependencyEnv],
                                read: (String) async throws(ArtifactError) -> [UInt8]) async throws(ArtifactError)
        -> [String: EnvKey] {
        var keys: [String: EnvKey] = [:]
        for env in envs {
            var parts: [(path: String, contents: [UInt8])] = []
            for keyFile in env.keyFiles {
                do { parts.append((keyFile, try await read(keyFile))) } catch {
                    throw ArtifactError("environment '\(env.name)': \(error.message)")
                }
            }
            keys[env.name] = EnvKey(name: env.name, hash: keyHash(parts))
        }
        return keys
    }

    /// First 16 hex digits of SHA-256 over each key file's path and contents.
    static func keyHash(_ parts: [(path: String, contents: [UInt8])]) -> String {
        var digest = SHA256()
        for part in parts {
            digest.update(Array(part.path.utf8) + [0] + Array(String(part.contents.count).utf8) + [0])
            digest.update(part.contents)
        }
        return String(SHA256.hex(digest.finalize()).prefix(16))
    }

    private func artifact(at file: String, revision: String, envKeys: [String: EnvKey]) throws(ArtifactError) -> Artifact {
        let hashed = try Self.sha256(of: file)
        return Artifact(path: file, digest: hashed.digest, bytes: hashed.bytes, revision: revision, envKeys: envKeys)
    }

    /// SHA-256 (hex) and size of `file`, read in 1 MiB chunks (never held in memory whole).
    public static func sha256(of file: String) throws(ArtifactError) -> (digest: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw ArtifactError("cannot read \(file)") }
        defer { try? handle.close() }
        var digest = SHA256()
        var bytes = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw ArtifactError("cannot read \(file): \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            bytes += chunk.count
            chunk.withUnsafeBytes { digest.update($0) }
        }
        return (SHA256.hex(digest.finalize()), bytes)
    }

    /// The first line `git` prints, trimmed.
    func gitLine(_ path: String, _ arguments: [String]) async throws(ArtifactError) -> String {
        String(decoding: try await git(path, arguments), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func git(_ path: String, _ arguments: [String]) async throws(ArtifactError) -> [UInt8] {
        try await run("/usr/bin/env", ["git", "-C", path] + arguments)
    }

    func run(_ executable: String, _ arguments: [String]) async throws(ArtifactError) -> [UInt8] {
        let output = try await outcome(executable, arguments)
        guard output.status == 0, !output.signaled else { throw Self.failure(of: arguments, output) }
        return output.stdout
    }

    /// The command line that failed, its exit status and what it printed on standard error.
    private static func failure(of arguments: [String], _ output: ProcessRunner.Output) -> ArtifactError {
        let stderr = String(decoding: output.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ArtifactError("`\(arguments.joined(separator: " "))` failed (exit \(output.status))" + (stderr.isEmpty ? "" : ": " + stderr))
    }

    /// How `executable` ended, whatever its exit status; throws only when it cannot be started.
    private func outcome(_ executable: String, _ arguments: [String]) async throws(ArtifactError) -> ProcessRunner.Output {
        do {
            return try await ProcessRunner.run(executable, arguments)
        } catch {
            throw ArtifactError("cannot run \(arguments.first ?? executable): \(error)")
        }
    }

    /// The full id of the commit `revision` names in the repository at `path`. One it does not
    /// have (`rev-parse --verify --quiet` exits 1, saying nothing) is refused saying so and what to
    /// do: a CI checkout is often shallow or has fetched one branch, and a new repository no commit.
    private func commit(named revision: String, at path: String) async throws(ArtifactError) -> String {
        let arguments = ["git", "-C", path, "rev-parse", "--verify", "--quiet", revision + "^{commit}"]
        let output = try await outcome("/usr/bin/env", arguments)
        if output.status == 1, !output.signaled, output.stderr.isEmpty {
            throw ArtifactError(revision == "HEAD"
                ? "the git repository at \(path) has no commit yet (HEAD names none); commit the app, then push"
                : "revision '\(revision)' is not a commit of the git repository at \(path); check the name, or fetch it "
                    + "first (git fetch origin \(revision): a CI checkout may be shallow or hold one branch only)")
        }
        guard output.status == 0, !output.signaled else { throw Self.failure(of: arguments, output) }
        return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
