import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerReporting
import Foundation

/// `deployer promote FROM TO`: deploy to TO exactly the artifact FROM runs.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Deploy to one environment exactly the release another runs (same artifact digest, same recipe).",
        discussion: """
            Reads the release every FROM host runs and refuses, naming the hosts, when they disagree, \
            when a host has none, or when a lock (a push in flight) is held there. The recipe must be \
            the one FROM was deployed with (its fingerprint for FROM unchanged). The artifact is rebuilt \
            from the release's commit and must have the SHA-256 FROM's hosts recorded, else promote \
            refuses (exit 1). When the commit is not in the repository, FROM's copy is fetched and \
            checked against that SHA-256 only with --trust-source-artifact (else exit 2). Then a push \
            to TO with TO's hosts, vars and rolling policy. \
            Exit: as push; 1 also when FROM cannot be promoted (nothing changed). See docs/plan.md.
            """)

    @Argument(help: "The environment whose release is promoted, e.g. staging.", completion: .environments)
    var from: String

    @Argument(help: "The environment that gets it, e.g. prod.", completion: .environments)
    var to: String

    @OptionGroup var options: FleetChangeOptions

    @Flag(help: ArgumentHelp("""
        When this controller cannot build the commit FROM runs, deploy FROM's copy of the artifact \
        as it is (checked only against FROM's release marker).
        """))
    var trustSourceArtifact = false

    func run() async throws {
        try await CommandRun.perform(.push, environment: to, options: options.output) { run in
            let source = try FleetContext(environmentName: from, recipe: options.recipe, ssh: options.ssh, readsSecrets: false)
            let inspected = await PromotionSource.inspect(source)
            let marker: ReleaseMarker
            switch inspected.release {
            case let .success(found): marker = found
            case let .failure(refusal):
                throw RunRefusal(result: refusal.result, message: refusal.message + "\nnothing was changed")
            }
            let target = try options.context(environment: to, run: run)
            let artifact: (artifact: Artifact, hostProbeCheck: HostProbeCheck?)
            do {
                artifact = try await PromotionSource.artifact(marker, source: source,
                                                              sourceHostProbeAnswers: inspected.hostProbeAnswers, target: target,
                                                              trustSourceArtifact: trustSourceArtifact,
                                                              reporter: target.executor.reporter)
            } catch let refusal as PromotionSource.Refusal {
                throw RunRefusal(result: refusal.result, message: refusal.message + "\nnothing was changed")
            } catch let error as ArtifactError {
                throw RunRefusal(result: .failed, message: error.message + "\nnothing was changed")
            }
            var request = PushRequest(revision: marker.revision, artifact: Task { artifact.artifact }, force: false,
                                      origin: .current(message: options.lock.message ?? "promote \(from) release \(marker.release) to \(to)",
                                                      runID: run.runID),
                                      unixTime: Int(Date().timeIntervalSince1970))
            request.hostProbeCheck = artifact.hostProbeCheck
            let summary = await target.interruptible { await target.executor.push(request) }
            throw summary.result.exitCode
        }
    }
}
