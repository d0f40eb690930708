import Checksums
import DeployerModel
import Foundation

/// Runs the build steps on the controller, before any host is touched: in a clean export of the
/// revision (the source artifact extracted into a scratch directory of the cache, never the work
/// tree), in `needs` order, each step's output streamed as events; packs the steps' `outputs` (or
/// the whole export) as a reproducible tar.gz and keeps it in the cache under the source artifact's
/// digest and the steps' fingerprint, so the same revision is built once. A failed, timed-out or
/// interrupted build leaves nothing in the cache.
public struct BuildRunner: Sendable {
    public var cache: ArtifactCache
    public var reporter: any Reporter
    public var control: RunControl
    /// Hides the secrets in the output lines and the failure's tail.
    public var mask: SecretMask
    /// Lines of a failed step's output kept for its failure message.
    public static let tailLines = 20

    public init(cache: ArtifactCache, reporter: any Reporter, control: RunControl, mask: SecretMask) {
        self.cache = cache; self.reporter = reporter; self.control = control; self.mask = mask
    }

    /// The cache's name for the artifact `steps` make from `source`, and the record kept beside it.
    public static func cacheEntry(of steps: BuildSteps, from source: Artifact) -> (name: String, record: String) {
        let record = "schema 1\nsource sha256:\(source.digest)\nbuild_steps \(steps.fingerprint)\n"
        var digest = SHA256()
        digest.update(Array(record.utf8))
        return ("build-" + SHA256.hex(digest.finalize()) + ".tar.gz", record)
    }

    /// The cached artifact of `steps` from `source`, when there is one (no event, nothing built).
    public func cached(_ steps: BuildSteps, from source: Artifact) async throws(BuildFailure) -> Artifact? {
        let entry = Self.cacheEntry(of: steps, from: source)
        guard let path = await cache.lookup(entry.name, record: entry.record) else { return nil }
        return try artifact(at: path, from: source)
    }

    /// The artifact `steps` make from `source`: found in the cache (`build_reused`), or built now.
    public func build(_ steps: BuildSteps, from source: Artifact) async throws(BuildFailure) -> Artifact {
        if let found = try await cached(steps, from: source) {
            reporter.report(.buildReused(digest: found.digest, steps: steps.steps.map(\.name)))
            return found
        }
        do { try cache.prepare() } catch { throw BuildFailure(.failed, error.message) }
        let work = cache.scratchPath("build")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let export = work + "/export"
        let packed = work + "/artifact.tar.gz"
        do {
            try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        } catch {
            throw BuildFailure(.failed, "cannot create the build directory \(export): \(error.localizedDescription)")
        }
        try await shell("extract the revision's export", ["tar", "-xzf", source.path, "-C", export])
        var environment = ProcessInfo.processInfo.environment
        environment.merge(steps.variables) { _, recipe in recipe }
        for step in steps.steps {
            if let reason = control.stopReason {
                throw BuildFailure(.interrupted, "\(reason): the build stopped before step '\(step.name)'; nothing was changed on any host")
            }
            try await run(step, in: export, environment: environment)
        }
        if let outputs = steps.outputs {
            let missing = outputs.filter { !FileManager.default.fileExists(atPath: export + "/" + $0) }
            guard missing.isEmpty else {
                let owners = steps.steps.filter { !Set($0.outputs).isDisjoint(with: missing) }
                    .map { "'\($0.name)'" + ($0.location.map { " (\($0))" } ?? "") }
                throw BuildFailure(.failed, "the build made no " + missing.map { "'\($0)'" }.joined(separator: ", ")
                    + ", declared in 'outputs' of build step " + owners.joined(separator: ", ")
                    + "; nothing was changed on any host")
            }
        }
        let members = (steps.outputs ?? ["."]).map { "./" + $0 }
        try await shell("pack the build's outputs", ["/bin/bash", "-o", "pipefail", "-c",
            ShellQuote.join(["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                             "-C", export, "-cf", "-", "--"] + members) + " | gzip -n >" + ShellQuote.quote(packed)])
        do { try await ArtifactBuilder.checkContents(of: packed) } catch { throw BuildFailure(.failed, error.message) }
        let entry = Self.cacheEntry(of: steps, from: source)
        let path: String
        do { path = try await cache.store(packed, as: entry.name, record: entry.record) } catch {
            throw BuildFailure(.failed, error.message)
        }
        return try artifact(at: path, from: source)
    }

    /// The built file at `path` as the artifact of `source`'s revision (same keys and time).
    private func artifact(at path: String, from source: Artifact) throws(BuildFailure) -> Artifact {
        let hashed: (digest: String, bytes: Int)
        do { hashed = try ArtifactBuilder.sha256(of: path) } catch { throw BuildFailure(.failed, error.message) }
        return Artifact(path: path, digest: hashed.digest, bytes: hashed.bytes, revision: source.revision,
                        envKeys: source.envKeys, revisionTime: source.revisionTime)
    }

    /// Runs a tool of the build's own (not a recipe command); its failure is the build's.
    private func shell(_ what: String, _ arguments: [String]) async throws(BuildFailure) {
        let executable = arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env"
        let output: ProcessRunner.Output
        do {
            output = try await ProcessRunner.run(executable, executable == "/usr/bin/env" ? arguments : Array(arguments.dropFirst()))
        } catch {
            throw BuildFailure(.failed, "cannot \(what): \(error)")
        }
        guard output.status == 0, !output.signaled else {
            throw BuildFailure(.failed, "cannot \(what): "
                + String(decoding: output.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
