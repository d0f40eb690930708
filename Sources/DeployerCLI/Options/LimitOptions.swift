import ArgumentParser
import DeployerLoading
import DeployerModel

/// `--hosts` and `--roles`: limit a fleet command to some hosts of its environment
/// (`cap HOSTS=`, `dep --hosts`, `ansible --limit`). Given both, a host must be named
/// in `--hosts` and have a role of `--roles`. Each may be given more than once (a CI job adding
/// hosts one option at a time): the lists add up, where a single-value option would keep the last
/// and drop the others unseen.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("hosts"),
            help: ArgumentHelp("Only these hosts of the environment (comma-separated names from deploy.yml; "
                               + "given more than once, all of them).", valueName: "hosts"))
    var hostLists: [String] = []

    @Option(name: .customLong("roles"),
            help: ArgumentHelp("Only the environment's hosts with one of these roles (comma-separated; given more than once, all of them).",
                               valueName: "roles"))
    var roleLists: [String] = []

    /// Every `--hosts` as one comma-separated list; nil when none is given.
    var hosts: String? { hostLists.isEmpty ? nil : hostLists.joined(separator: ",") }

    /// Every `--roles` as one comma-separated list; nil when none is given.
    var roles: String? {
        get { roleLists.isEmpty ? nil : roleLists.joined(separator: ",") }
        set { roleLists = newValue.map { [$0] } ?? [] }
    }

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
