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

    /// The commit of `environment`'s source to use (`revision` when given, else `--revision`);
    /// nil for a directory source. A dirty tree is accepted when `allowDirty` or `--allow-dirty`;
    /// a commit whose shipped folder holds the recipe's secrets file is not. Errors are refusals
    /// with exit code 2.
    func resolve(_ environment: ResolvedEnvironment, revision given: String? = nil, allowDirty allowed: Bool = false) async throws -> String? {
        let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
        do {
            let commit = try await builder
                .resolveRevision(source: environment.source, revision: given ?? revision, allowDirty: allowDirty || allowed)
            if let commit, let secretsFile = environment.secretsFile {
                try await builder.refuseCommitted(secretsFile: secretsFile, source: environment.source, commit: commit)
            }
            return commit
        } catch {
            throw RunRefusal(result: .usage, message: error.message)
        }
    }
}
