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
            from the controller's cache and must have the same SHA-256; otherwise it is fetched from a \
            FROM host and verified. Then a push to TO with TO's hosts, vars and rolling policy. \
            Exit: as push; 1 also when FROM cannot be promoted (nothing changed). See docs/plan.md.
            """)

    @Argument(help: "The environment whose release is promoted, e.g. staging.", completion: .environments)
    var from: String

    @Argument(help: "The environment that gets it, e.g. prod.", completion: .environments)
    var to: String

    @OptionGroup var options: FleetChangeOptions

    func run() async throws {
        try await CommandRun.perform(.push, environment: to, options: options.output) { run in
            let source = try FleetContext(environmentName: from, recipe: options.recipe, ssh: options.ssh, readsSecrets: false)
            let inspection = await source.executor.inspect()
            let marker: ReleaseMarker
            switch PromotionSource.release(of: inspection, environment: from, fingerprint: source.environment.fingerprint) {
            case let .success(found): marker = found
            case let .failure(refusal):
                throw RunRefusal(result: refusal.result, message: refusal.message + "\nnothing was changed")
            }
            let target = try options.context(environment: to, run: run)
            let artifact: Artifact
            do throws(ArtifactError) {
                artifact = try await PromotionSource.artifact(marker, source: source, target: target.environment)
            } catch {
                throw RunRefusal(result: .failed, message: error.message + "\nnothing was changed")
            }
            let request = PushRequest(revision: marker.revision, artifact: Task { artifact }, force: false,
                                      origin: .current(message: options.lock.message ?? "promote \(from) release \(marker.release) to \(to)",
                                                      runID: run.runID),
                                      unixTime: Int(Date().timeIntervalSince1970))
            let summary = await target.interruptible { await target.executor.push(request) }
            throw summary.result.exitCode
        }
    }
}
