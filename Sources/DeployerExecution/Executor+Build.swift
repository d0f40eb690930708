import DeployerModel

extension Executor {
    /// The artifact the environment's build steps make from `source` (the revision's export): from the
    /// cache, or built now on the controller with the recipe's vars and secrets, reported as events.
    /// Without build steps, `source` itself.
    public func buildOnController(_ source: Artifact, cache: ArtifactCache) async throws(BuildFailure) -> Artifact {
        let steps = try buildSteps(for: source.revision)
        guard !steps.isEmpty else { return source }
        return try await BuildRunner(cache: cache, reporter: reporter, control: control, mask: secretMask)
            .build(steps, from: source)
    }

    /// The environment's build steps rendered for `revision`; an undefined name is the recipe's error.
    public func buildSteps(for revision: String) throws(BuildFailure) -> BuildSteps {
        do {
            return try BuildSteps(environment: environment, revision: revision, secrets: secrets)
        } catch {
            throw BuildFailure(.recipe, error.description + "; nothing was changed on any host")
        }
    }
}
