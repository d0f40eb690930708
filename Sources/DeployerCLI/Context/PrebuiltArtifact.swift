import DeployerExecution
import DeployerModel
import Foundation

/// `deployer push ENV --artifact FILE`: the artifact file a `deployer build --out` made (maybe on
/// another machine), checked against the push it is offered to before any host is touched, and
/// unpacked into the controller's cache to be shipped as it is.
enum PrebuiltArtifact {
    /// The artifact in `file` as the artifact of `commit` for `context`'s environment. Refuses (exit 2),
    /// naming the file and what differs, one built for another app, revision or build steps (read
    /// from its manifest first, so a mismatch costs no copy), then one truncated or altered (its bytes
    /// streamed through SHA-256 into the cache and compared with its manifest). When a build step has a
    /// `host_probe`, also what the push must ask its hosts again before it locks them (read-only, over
    /// the push's own connections): wheels made for Python 3.11 are not offered to hosts with 3.12.
    static func load(_ file: String, context: FleetContext, commit: String?, builder: ArtifactBuilder) async throws
        -> (artifact: Artifact, hostProbeCheck: HostProbeCheck?) {
        let environment = context.environment
        do {
            let manifest = try await BlockingIO.run { () throws(ArtifactError) in try ArtifactFile.manifest(of: file) }
            let source = try await builder.build(source: environment.source, commit: commit, envs: environment.dependencyEnvs)
            let steps: BuildSteps
            do { steps = try context.executor.buildSteps(for: source.revision) } catch {
                throw RunRefusal(result: error.runResult, message: error.message)
            }
            let differences = manifest.differences(app: environment.app, revision: source.revision,
                                                   buildFingerprint: steps.isEmpty ? ArtifactManifest.noBuildSteps : steps.fingerprint)
            let name = environment.name
            let refusal: @Sendable ([String]) -> String = { differences in
                "the artifact file \(file) is not the artifact of this push; "
                    + "nothing was changed on any host:\n" + differences.map { "  " + $0 + "\n" }.joined()
                    + "  build it for this revision and recipe (deployer build \(name) --out FILE), or push the revision it was built from"
            }
            guard differences.isEmpty else { throw RunRefusal(result: .usage, message: refusal(differences)) }
            try builder.cache.prepare()
            let partial = builder.cache.scratchPath("artifact") + ".tar.gz"
            defer { try? FileManager.default.removeItem(atPath: partial) }
            _ = try await BlockingIO.run { () throws(ArtifactError) in try ArtifactFile.extract(file, to: partial) }
            try await ArtifactBuilder.checkContents(of: partial)
            let path = try await builder.cache.store(partial, as: "artifact-" + manifest.digest + ".tar.gz", record: nil)
            let artifact = Artifact(path: path, digest: manifest.digest, bytes: manifest.bytes, revision: source.revision,
                                    envKeys: source.envKeys, revisionTime: source.revisionTime, hostProbes: manifest.hostProbes)
            return (artifact, steps.probing.isEmpty ? nil
                : HostProbeCheck(steps: steps, builtFor: manifest.hostProbes, refusal: refusal))
        } catch let error as ArtifactError {
            throw RunRefusal(result: .usage, message: error.message + "\nnothing was changed on any host")
        }
    }
}
