import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation

/// `--revision` and `--allow-dirty`: which commit `push` and `plan` make the release from.
struct RevisionOptions: ParsableArguments {
    @Option(help: "The git revision (default: the recipe's, else HEAD).")
    var revision: String?

    @Flag(help: "Go ahead with uncommitted changes to tracked files (they are not deployed).")
    var allowDirty = false

    /// The commit of `source` to use (`revision` when given, else `--revision`);
    /// nil for a directory source. A dirty tree is accepted when `allowDirty`
    /// or `--allow-dirty`. Errors are refusals with exit code 2.
    func resolve(_ source: Source, revision given: String? = nil, allowDirty allowed: Bool = false) async throws -> String? {
        let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
        do {
            return try await builder
                .resolveRevision(source: source, revision: given ?? revision, allowDirty: allowDirty || allowed)
        } catch {
            throw RunRefusal(result: .usage, message: error.message)
        }
    }
}
