import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation

/// Where `deployer promote` takes its release from: the one release every
/// host of the source environment runs, and that release's artifact.
enum PromotionSource {
    /// Why the source environment cannot be promoted; names the hosts.
    struct Refusal: Error {
        var message: String
        /// How the promote ends (its exit code).
        var result: RunSummary.Result
    }

    /// What every host of `source` answers to each `host_probe` of the build steps of the release it runs
    /// (by step name then host name), or why they could not be asked.
    typealias HostProbeAnswers = Result<[String: [String: String]], BuildFailure>

    /// The release every host of `source` runs (or why there is none to promote) and, when that release's
    /// build steps have a `host_probe`, what the hosts answer it now: both read in one SSH login per
    /// host. The answers are asked whether or not the build steps turn out to need them (one more
    /// command on a connection already open), and a failure to ask is raised only where they are needed.
    static func inspect(_ source: FleetContext) async -> (release: Result<ReleaseMarker, Refusal>, hostProbeAnswers: HostProbeAnswers?) {
        let (from, fingerprint) = (source.environment.name, source.environment.fingerprint)
        let read = await source.executor.inspect { inspection throws(BuildFailure) in
            guard case let .success(marker) = release(of: inspection, environment: from, fingerprint: fingerprint) else { return nil }
            return try source.executor.buildSteps(for: marker.revision)
        }
        return (release(of: read.inspection, environment: from, fingerprint: fingerprint), read.hostProbeAnswers)
    }

    /// The marker of the release every host of `environment` runs, or why there is none to promote.
    static func release(of inspection: FleetInspection, environment: String, fingerprint: String)
        -> Result<ReleaseMarker, Refusal> {
        if !inspection.unreachable.isEmpty {
            return .failure(Refusal(message: "cannot read what \(environment) runs: "
                + inspection.hosts.compactMap { host in inspection.unreachable[host].map { "\(host) unreachable: \($0)" } }
                    .joined(separator: "; "), result: .unreachable))
        }
        let locked = inspection.hosts.filter { inspection.facts[$0]?.lock != nil }
        if !locked.isEmpty {
            return .failure(Refusal(message: "a push is in flight in \(environment): the deploy lock is held on "
                + locked.joined(separator: ", ") + "; promote once it is done (or see deployer status \(environment))",
                                    result: .lockHeld))
        }
        if let drift = inspection.drift {
            return .failure(Refusal(message: "the hosts of \(environment) do not all run the same release: "
                + drift.sorted { ($0.key?.rawValue ?? "") < ($1.key?.rawValue ?? "") }
                    .map { "\($0.value.joined(separator: ", ")) on \($0.key?.rawValue ?? "no release")" }
                    .joined(separator: "; "), result: .failed))
        }
        let markers = inspection.hosts.map { inspection.facts[$0]?.currentMarker }
        let missing = zip(inspection.hosts, markers).filter { $0.1 == nil }.map(\.0)
        guard missing.isEmpty, let marker = markers.first ?? nil else {
            return .failure(Refusal(message: "\(environment) has no complete current release on "
                + missing.joined(separator: ", "), result: .failed))
        }
        let digests = Dictionary(grouping: inspection.hosts) { inspection.facts[$0]?.currentMarker?.digest ?? "" }
        if digests.count > 1 {
            return .failure(Refusal(message: "the hosts of \(environment) run release \(marker.release) from different "
                + "artifacts (their release markers disagree): " + digests.sorted { $0.key < $1.key }
                    .map { "sha256:\($0.key) on \($0.value.joined(separator: ", "))" }.joined(separator: "; "),
                                    result: .failed))
        }
        guard marker.fingerprint == fingerprint else {
            return .failure(Refusal(message: "the recipe changed since \(environment) got \(marker.release): it was "
                + "deployed with recipe fingerprint \(marker.fingerprint.prefix(12)), the recipe now gives "
                + "\(fingerprint.prefix(12)); push \(environment) with this recipe first, or check out the recipe "
                + "it ran", result: .usage))
        }
        return .success(marker)
    }

    /// The artifact of `marker`, which every host of `source` runs, and what the push to `target` must
    /// ask its hosts before it locks them (a build step's `host_probe`: the artifact was built for the
    /// source's hosts' answer). When this
    /// controller can build the marker's commit, the rebuilt artifact must have
    /// the marker's SHA-256, else promote refuses (exit 1): the hosts run
    /// something that is not that commit. When it cannot, the hosts' copy is
    /// fetched (and checked against the marker's SHA-256) only with
    /// `trustSourceArtifact`, else a refusal names the flag (exit 2).
    /// With build steps, the rebuilt artifact is the one the steps made from that commit, found in
    /// the controller's cache (promote runs no build step); when it is not there, it is treated
    /// like a commit the controller cannot build. `reporter` gets the warning that the source's copy
    /// is trusted (terminal, plain, JSON, audit log). `sourceHostProbeAnswers` is what `inspect(_:)` read.
    static func artifact(_ marker: ReleaseMarker, source: FleetContext, sourceHostProbeAnswers: HostProbeAnswers?,
                         target targetContext: FleetContext, trustSourceArtifact: Bool, reporter: any Reporter) async throws
        -> (artifact: Artifact, hostProbeCheck: HostProbeCheck?) {
        let target = targetContext.environment
        let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
        let hosts = source.environment.hosts.map(\.name).joined(separator: ", ")
        let from = source.environment.name
        let commit = String(marker.revision.prefix(12))
        let unchecked: String
        var hostProbeCheck: HostProbeCheck?
        if await builder.canBuild(source: target.source, revision: marker.revision) {
            var rebuilt = try await builder.build(source: target.source, commit: marker.revision,
                                                  envs: target.dependencyEnvs)
            if target.tasks.contains(where: \.local) {
                let executor = targetContext.executor
                let runner = BuildRunner(cache: builder.cache, reporter: executor.reporter, control: executor.control,
                                         mask: SecretMask(secrets: executor.secrets))
                let built = try buildSteps(for: marker, source: source, sourceHostProbeAnswers: sourceHostProbeAnswers,
                                           target: targetContext)
                hostProbeCheck = built.hostProbeCheck
                rebuilt = try await runner.cached(built.steps, from: rebuilt) ?? rebuilt
            }
            if rebuilt.digest == marker.digest { return (rebuilt, hostProbeCheck) }
            guard target.tasks.contains(where: \.local) else {
                throw Refusal(message: "\(from) runs release \(marker.release) on \(hosts) with artifact sha256:"
                    + "\(marker.digest) (its release marker), but commit \(commit) builds sha256:\(rebuilt.digest) "
                    + "here: what \(from) runs is not that commit's artifact, so it is not promoted. If \(from) was "
                    + "pushed from another machine whose git archives differently, push \(from) again from here "
                    + "(or from the machine that pushes \(target.name)), check it, then promote",
                              result: .failed)
            }
            unchecked = "the artifact the build steps made from commit \(commit) is not in this controller's cache "
                + "(built on another machine, or pruned)"
        } else {
            unchecked = "this controller cannot build " + (marker.revision.hasPrefix("dir-")
                ? "the dir: source of \(marker.revision)" : "commit \(commit) (not in the repository)")
        }
        guard trustSourceArtifact else {
            throw Refusal(message: "\(unchecked), so it cannot check the artifact \(from) runs (sha256:\(marker.digest) "
                + "on \(hosts)); fetch the commit (git fetch) or promote from the machine that pushed \(from), or "
                + "pass --trust-source-artifact to deploy \(from)'s copy as it is", result: .usage)
        }
        let fetchedFrom = source.environment.hosts[0]
        reporter.report(.hostWarning(host: fetchedFrom.name, message: "trusting \(from)'s copy of artifact "
            + "sha256:\(marker.digest) (--trust-source-artifact): \(unchecked)"))
        let cacheDirectory = try FleetContext.artifactCache().directory
        do {
            return (try await source.executor.fetchArtifact(marker, from: fetchedFrom, cacheDirectory: cacheDirectory),
                    hostProbeCheck)
        } catch {
            throw Refusal(message: error.message, result: .failed)
        }
    }

    /// The target's build steps for `marker`'s revision, as the cache keys the artifact they made, and
    /// what the push to the target must ask its hosts. A step with a `host_probe` built for what the
    /// source's hosts answer (`sourceHostProbeAnswers`, asked while `inspect(_:)` read them): the steps
    /// are rendered with that answer, which is part of the cache key, and the push asks the target's
    /// hosts once connected, refusing (exit 2), before any lock, hosts that answer otherwise, naming them
    /// and both answers.
    static func buildSteps(for marker: ReleaseMarker, source: FleetContext, sourceHostProbeAnswers: HostProbeAnswers?,
                           target: FleetContext) throws -> (steps: BuildSteps, hostProbeCheck: HostProbeCheck?) {
        do throws(BuildFailure) {
            let steps = try target.executor.buildSteps(for: marker.revision)
            if steps.probing.isEmpty { return (steps, nil) }
            let sourceAnswers = try (sourceHostProbeAnswers ?? .success([:])).get()
            let sourceHosts = source.environment.hosts.map(\.name)
            var builtFor: [String: String] = [:]
            for (step, byHost) in sourceAnswers { builtFor[step] = sourceHosts.lazy.compactMap { byHost[$0] }.first }
            let (from, to, release) = (source.environment.name, target.environment.name, marker.release)
            let check = HostProbeCheck(steps: steps, builtFor: builtFor) { differences in
                "the artifact \(from) runs (release \(release)) is not for the hosts of \(to): " + differences.joined(separator: "; ")
                    + " (as \(from)'s hosts answer now); make the hosts alike, or push \(to) to build for its hosts\nnothing was changed"
            }
            return (try target.executor.buildSteps(for: marker.revision, hostAnswers: builtFor), check)
        } catch {
            throw Refusal(message: error.message, result: error.runResult)
        }
    }
}
