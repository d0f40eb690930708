import ArgumentParser
import DeployerExecution
import DeployerModel
import DeployerPlanning
import DeployerReporting
import Foundation

/// Makes a `Plan` the way `deployer plan` and `deployer push --plan` both do:
/// builds the artifact (no upload), probes every host read-only in one round
/// trip (unless offline), and lets the pure `Planner` decide, made by
/// `Executor.planner` as a push's own plan is (`Executor.pushPlan`).
struct PlanMaker {
    var context: FleetContext

    /// The plan and the artifact of the revision it was made for (the export a push builds from, when
    /// the environment has build steps); `unixTime` fixes the release id. The plan is made for the
    /// artifact a push ships: the cached build when there is one, else the export (`Plan.build` says which).
    /// With `runGuards`, the probe also runs the `unless`/`only_if` of tasks marked `read_only_guards`.
    func make(commit: String?, unixTime: Int, offline: Bool, runGuards: Bool) async throws
        -> (plan: Plan, artifact: Artifact) {
        let environment = context.environment
        let source: Artifact
        let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
        do {
            source = try await builder.build(source: environment.source, commit: commit, envs: environment.dependencyEnvs)
        } catch {
            throw RunRefusal(result: .usage, message: error.message)
        }
        let (artifact, build) = try await plannedBuild(from: source, cache: builder.cache)
        func withBuild(_ plan: Plan) -> (plan: Plan, artifact: Artifact) {
            var plan = plan
            plan.build = build
            return (plan, source)
        }
        guard !offline else {
            return withBuild(context.executor.planner(for: artifact, unixTime: unixTime, peers: []).plan(probes: nil))
        }
        let planner = context.executor.planner(for: artifact, unixTime: unixTime,
                                               peers: await context.executor.probeOutsideLimit())
        let candidate = ReleaseID(unixSeconds: unixTime, revision: artifact.revision)
        do {
            let probes = try await context.executor.probeForPlan(release: candidate, revision: artifact.revision,
                                                                 runGuards: runGuards)
            var plan = planner.plan(probes: probes)
            plan.runGuards = runGuards ? true : nil
            return withBuild(plan)
        } catch {
            throw RunRefusal(result: .usage, message: "\(error)")
        }
    }

    /// The artifact a push of `source` would ship (the cached build, else `source` itself) and the build
    /// it would run first; nil without build steps. Builds nothing: a plan changes nothing.
    private func plannedBuild(from source: Artifact, cache: ArtifactCache) async throws -> (Artifact, PlannedBuild?) {
        let executor = context.executor
        let steps: BuildSteps
        let cached: Artifact?
        do throws(BuildFailure) {
            steps = try executor.buildSteps(for: source.revision)
            cached = steps.isEmpty ? nil : try await executor.cachedBuild(steps, from: source, cache: cache)
        } catch {
            throw RunRefusal(result: error.runResult, message: error.message)
        }
        guard !steps.isEmpty else { return (source, nil) }
        let planned = PlannedBuild(digest: cached?.digest, source: source.digest, fingerprint: steps.fingerprint,
                                   steps: steps.steps.map { PlannedBuildStep(name: $0.name, command: executor.masked($0.command)) })
        return (cached ?? source, planned)
    }

    /// A plan (of a push or a rollback) as indented JSON with sorted keys (docs/plan.md).
    static func json(_ plan: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(plan)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    /// A saved plan; a file that is not one (or of another schema) is a usage error.
    static func load(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the saved plan \(path)")
        }
        let decoder = JSONDecoder()
        guard let plan = try? decoder.decode(Plan.self, from: data) else {
            throw ValidationError("\(path) is not a plan written by `deployer plan --out`")
        }
        guard plan.schema == Plan.currentSchema else {
            throw ValidationError("\(path) has plan schema \(plan.schema); this deployer reads schema \(Plan.currentSchema)")
        }
        return plan
    }
}
