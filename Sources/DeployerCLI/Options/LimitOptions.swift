import ArgumentParser
import DeployerLoading
import DeployerModel

/// `--hosts` and `--roles`: limit a fleet command to some hosts of its environment
/// (`cap HOSTS=`, `dep --hosts`, `ansible --limit`). Given both, a host must be named
/// in `--hosts` and have a role of `--roles`.
struct LimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only these hosts of the environment (comma-separated names from deploy.yml).",
                               valueName: "hosts"))
    var hosts: String?

    @Option(help: ArgumentHelp("Only the environment's hosts with one of these roles (comma-separated).",
                               valueName: "roles"))
    var roles: String?

    /// `environment` narrowed to the limit, and the limit (nil without `--hosts` and `--roles`);
    /// an unknown host or role is a usage error (exit 2) naming the environments of `recipe` that
    /// have it, else with a suggestion.
    func apply(to environment: ResolvedEnvironment, of recipe: Recipe) throws -> (ResolvedEnvironment, HostLimit?) {
        let hostNames = try hosts.map { try SSHHostResolver.parseList($0, option: "--hosts") }
        let roleNames = try roles.map { try SSHHostResolver.parseList($0, option: "--roles") }
        do {
            return try environment.limited(hosts: hostNames, roles: roleNames, recipeEnvironments: recipe.environments)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
