import DeployerModel

extension Executor {
    /// The artifact the environment's build steps make from `source` (the revision's export): from the
    /// cache, or built now on the controller with the recipe's vars and secrets, reported as events.
    /// Without build steps, `source` itself. A step with a `host_probe` first connects to every host
    /// and asks it (read-only: no host is changed), and is built for the hosts' common answer.
    public func buildOnController(_ source: Artifact, cache: ArtifactCache) async throws(BuildFailure) -> Artifact {
        let connections = HostConnections(connector: connector, reporter: reporter)
        let built: Result<Artifact, BuildFailure>
        do throws(BuildFailure) {
            built = .success(try await buildOnController(source, cache: cache, connections: connections))
        } catch {
            built = .failure(error)
        }
        await connections.closeAll()
        return try built.get()
    }

    /// `buildOnController(_:cache:)` asking the hosts, when a step probes them, over `connections`
    /// (a push's, which it goes on using).
    func buildOnController(_ source: Artifact, cache: ArtifactCache,
                           connections: HostConnections) async throws(BuildFailure) -> Artifact {
        var steps = try buildSteps(for: source.revision)
        guard !steps.isEmpty else { return source }
        var answers: [String: String] = [:]
        if !steps.probing.isEmpty {
            if let unconnected = await connectAll(connections: connections) { throw BuildFailure(.unreachable, unconnected) }
            answers = try await hostProbeAnswers(for: steps, connections: connections)
            steps = try buildSteps(for: source.revision, hostAnswers: answers)
        }
        var built = try await BuildRunner(cache: cache, reporter: reporter, control: control, mask: secretMask)
            .build(steps, from: source)
        built.hostProbes = answers
        return built
    }

    /// The environment's build steps rendered for `revision` (and the hosts' answers to their
    /// `host_probe`, by step name); an undefined name is the recipe's error.
    public func buildSteps(for revision: String, hostAnswers: [String: String] = [:]) throws(BuildFailure) -> BuildSteps {
        do {
            return try BuildSteps(environment: environment, revision: revision, secrets: secrets, hostAnswers: hostAnswers)
        } catch {
            throw BuildFailure(.recipe, error.description + "; nothing was changed on any host")
        }
    }

    /// The artifact `steps` made from `source` when the cache holds it (nothing is built, no event).
    public func cachedBuild(_ steps: BuildSteps, from source: Artifact, cache: ArtifactCache) async throws(BuildFailure) -> Artifact? {
        try await BuildRunner(cache: cache, reporter: reporter, control: control, mask: secretMask).cached(steps, from: source)
    }

    /// `text` with the recipe's secrets masked, as every event shows it.
    public func masked(_ text: String) -> String { secretMask.apply(text) }
}
