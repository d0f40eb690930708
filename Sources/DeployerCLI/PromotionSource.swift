import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning

/// Where `deployer promote` takes its release from: the one release every
/// host of the source environment runs, and that release's artifact.
enum PromotionSource {
    /// Why the source environment cannot be promoted; names the hosts.
    struct Refusal: Error {
        var message: String
        /// How the promote ends (its exit code).
        var result: RunSummary.Result
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
        guard marker.fingerprint == fingerprint else {
            return .failure(Refusal(message: "the recipe changed since \(environment) got \(marker.release): it was "
                + "deployed with recipe fingerprint \(marker.fingerprint.prefix(12)), the recipe now gives "
                + "\(fingerprint.prefix(12)); push \(environment) with this recipe first, or check out the recipe "
                + "it ran", result: .usage))
        }
        return .success(marker)
    }

    /// The artifact of `marker`: rebuilt from the controller's cache when its
    /// SHA-256 matches, else fetched from the first source host and verified.
    static func artifact(_ marker: ReleaseMarker, source: FleetContext, target: ResolvedEnvironment)
        async throws(ArtifactError) -> Artifact {
        let builder = ArtifactBuilder(cacheDirectory: FleetContext.artifactCache)
        if case .git = target.source,
           let rebuilt = try? await builder.build(source: target.source, commit: marker.revision,
                                                  envs: target.dependencyEnvs),
           rebuilt.digest == marker.digest {
            return rebuilt
        }
        return try await source.executor.fetchArtifact(marker, from: source.environment.hosts[0],
                                                      cacheDirectory: FleetContext.artifactCache)
    }
}
