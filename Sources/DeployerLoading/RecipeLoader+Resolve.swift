import Checksums
import DeployerModel

/// Recipe + environment name → `ResolvedEnvironment`.
extension RecipeLoader {
    /// The environment `environment` of `recipe` with everything resolved:
    /// hosts in inventory order (each once, with all its roles), vars merged
    /// (environment over recipe), tasks in execution order, and the fingerprint.
    /// Throws when the environment is not declared (with a suggestion).
    public func resolve(_ recipe: Recipe, environment: String) throws(DiagnosticsError) -> ResolvedEnvironment {
        guard let declared = recipe.environment(named: environment) else {
            let names = recipe.environmentNames
            throw DiagnosticsError([.error("unknown environment '\(environment)'" + Suggestion.didYouMean(environment, in: names),
                                           note: "environments in \(recipe.file): " + names.joined(separator: ", "))],
                                   sources: recipe.sources)
        }
        var resolved = ResolvedEnvironment(
            app: recipe.app, name: declared.name, deployTo: recipe.deployTo, keepReleases: recipe.keepReleases,
            source: recipe.source, shared: recipe.shared, hosts: declared.hosts,
            vars: recipe.vars.merging(declared.vars) { _, environment in environment },
            dependencyEnvs: recipe.dependencyEnvs, tasks: TaskSorter.sort(recipe.tasks).tasks,
            rolling: declared.rolling, health: declared.health,
            roleHealth: Dictionary(declared.roles.compactMap { role in role.health.map { (role.name, $0) } }) { first, _ in first },
            secrets: recipe.secrets, shell: recipe.shell)
        resolved.secretsFile = recipe.secretsFile
        resolved.notify = declared.notify ?? recipe.notify
        resolved.maintenance = recipe.maintenance
        resolved.sshTransport = declared.sshTransport
        resolved.lockTTLSeconds = recipe.lockTTLSeconds
        resolved.fingerprint = Self.fingerprint(of: resolved)
        var hostless = resolved
        hostless.hosts = []
        resolved.releaseFingerprint = Self.fingerprint(of: hostless)
        return resolved
    }

    /// SHA-256 (hex) of a canonical serialization (`FingerprintWriter`) of
    /// everything that decides what runs where: app, paths, source, shell,
    /// hosts in inventory order with their roles (the order places `once`
    /// tasks and forms batches, so it counts), vars, secret names (never their
    /// values), dependency envs, tasks, rolling and health. Left out: the
    /// environment's name and source locations, so that two environments
    /// declared alike have the same fingerprint and editing comments does not
    /// change it.
    public static func fingerprint(of environment: ResolvedEnvironment) -> String {
        var writer = FingerprintWriter()
        writer.write(environment)
        return SHA256.hex(SHA256.hash(Array(writer.text.utf8)))
    }
}
