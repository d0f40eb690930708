import ArgumentParser
import DeployerBuildInfo
import DeployerExecution
import DeployerModel
import Foundation

/// `deployer build ENV`: the environment's artifact made on the controller (its build steps run, or
/// found in the cache), its digest printed, and with `--out` written as a self-describing file for
/// `deployer push --artifact`. No host is touched.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an environment's artifact on the controller (or find it in the cache) and print its digest.",
        discussion: """
            Runs the environment's build steps (local: true tasks) in a clean export of the revision, \
            as a push does, or reuses the cached artifact of the same revision and steps; changes no \
            host (a step's host_probe only asks the hosts). --out writes the artifact with its manifest (app, revision, build fingerprint, \
            SHA-256, the hosts' answers to a step's host_probe) as one file for `deployer push ENV --artifact FILE`: build once in CI, push it \
            to staging and then prod. \
            Exit: 0 built or reused, 1 a build step failed, timed out or was interrupted, 2 recipe or usage.
            """)

    @Argument(help: "The environment, e.g. staging.", completion: .environments)
    var environment: String

    @OptionGroup var recipe: RecipeDiscovery.Options
    @OptionGroup var revisionOptions: RevisionOptions
    /// How a build step's `host_probe` reaches the hosts, as for every command that talks to them.
    @OptionGroup var ssh: SSHOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Also write the artifact and its manifest to this file, for `deployer push --artifact`.",
                               valueName: "file"))
    var out: String?

    func run() async throws {
        try await CommandRun.perform(.build, environment: environment, options: output) { run in
            let start = ContinuousClock.now
            let context = try FleetContext(environmentName: environment, recipe: recipe, ssh: ssh, run: run)
            let resolved = context.environment
            run.report(.runStarted(action: .build, environment: environment, runID: run.runID, hosts: []))
            let commit = try await revisionOptions.resolve(resolved)
            let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
            let source: Artifact
            do { source = try await builder.build(source: resolved.source, commit: commit, envs: resolved.dependencyEnvs) } catch let error as ArtifactError {
                throw RunRefusal(result: .usage, message: error.message)
            }
            let steps: BuildSteps
            let built: Result<Artifact, BuildFailure>
            do { steps = try context.executor.buildSteps(for: source.revision) } catch let error as BuildFailure {
                throw RunRefusal(result: error.runResult, message: error.message)
            }
            built = await context.interruptible {
                do throws(BuildFailure) {
                    return .success(try await context.executor.buildOnController(source, cache: builder.cache))
                } catch {
                    return .failure(error)
                }
            }
            let artifact: Artifact
            switch built {
            case let .success(made): artifact = made
            case let .failure(failure): throw RunRefusal(result: failure.runResult, message: failure.message)
            }
            run.report(.artifactReady(revision: artifact.revision, digest: artifact.digest, bytes: artifact.bytes))
            if let out {
                let manifest = ArtifactManifest(app: resolved.app, environment: resolved.name, revision: artifact.revision,
                                                buildFingerprint: steps.isEmpty ? ArtifactManifest.noBuildSteps : steps.fingerprint,
                                                digest: artifact.digest, bytes: artifact.bytes, deployer: BuildInfo.versionLine,
                                                hostProbes: artifact.hostProbes)
                do {
                    try await BlockingIO.run { () throws(ArtifactError) in try ArtifactFile.write(artifact, manifest: manifest, to: out) }
                } catch let error as ArtifactError {
                    throw RunRefusal(result: .usage, message: error.message)
                }
            }
            run.report(.summary(RunSummary(
                action: .build, result: .succeeded, release: nil,
                message: "artifact sha256:\(artifact.digest) (\(artifact.bytes) bytes) of revision \(artifact.revision.prefix(12))"
                    + (out.map { ", written to \($0)" } ?? ""),
                hosts: [], seconds: Double(start.duration(to: .now) / .milliseconds(1)) / 1000)))
        }
    }
}
