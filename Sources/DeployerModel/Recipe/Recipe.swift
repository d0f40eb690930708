/// A recipe as loaded and validated from `deploy.yml` (and the recipes it
/// `use`s), before an environment is picked.
///
/// Every part that a later check may point at keeps its `SourceLocation`.
/// `RecipeLoader.resolve(_:environment:)` turns it into a `ResolvedEnvironment`.
public struct Recipe: Hashable, Sendable {
    /// The file the user named (or discovery found); diagnostics use this path.
    public var file: String
    /// The application name (`app:`), also the template variable `app`.
    public var app: String
    /// Where releases come from (`source:`; default `git: .`).
    public var source: Source
    /// Absolute directory on each host (`deploy_to:`).
    public var deployTo: String
    /// Releases kept per host after a push (`keep_releases:`).
    public var keepReleases: Int
    /// How long a run's lock stays good after its last heartbeat (`lock_ttl:`; nil: `LockLease.defaultTTLSeconds`).
    public var lockTTLSeconds: Int?
    /// How commands are wrapped on hosts (`shell:`).
    public var shell: RemoteShell
    /// Paths linked from `shared/` into every release.
    public var shared: SharedPaths
    /// Recipe-wide template variables; environments may override them.
    public var vars: [String: String]
    /// Names of secrets read from the controller's environment at run time.
    public var secrets: [String]
    /// Where secrets not in the controller's environment are read from (`secrets_file:`).
    public var secretsFile: SecretsFile?
    /// In declaration order.
    public var environments: [RecipeEnvironment]
    /// Content-addressed dependency environments (`envs:`), in declaration order.
    public var dependencyEnvs: [DependencyEnv]
    /// In declaration order (recipes from `use` first, then the user's file).
    public var tasks: [ResolvedTask]
    /// Notifications for every environment that declares none of its own (`notify:`).
    public var notify: [NotifyHook] = []
    /// `maintenance: { on, off }`; nil: the flag file `shared/maintenance.on`.
    public var maintenance: MaintenanceCommands?
    /// The text of every file read while loading, by path, so that diagnostics
    /// found later (e.g. by the resolver) can still print the source line.
    public var sources: [String: String]

    /// A recipe from its parts; `RecipeLoader` is the usual way to get one.
    public init(file: String, app: String, source: Source, deployTo: String, keepReleases: Int = 5,
                shell: RemoteShell = .default, shared: SharedPaths = SharedPaths(), vars: [String: String] = [:],
                secrets: [String] = [], environments: [RecipeEnvironment] = [], dependencyEnvs: [DependencyEnv] = [],
                tasks: [ResolvedTask] = [], sources: [String: String] = [:]) {
        self.file = file; self.app = app; self.source = source; self.deployTo = deployTo
        self.keepReleases = keepReleases; self.shell = shell; self.shared = shared; self.vars = vars
        self.secrets = secrets; self.environments = environments; self.dependencyEnvs = dependencyEnvs
        self.tasks = tasks; self.sources = sources
    }

    /// Environment names in declaration order.
    public var environmentNames: [String] { environments.map(\.name) }

    /// The environment called `name`, if declared.
    public func environment(named name: String) -> RecipeEnvironment? { environments.first { $0.name == name } }
}
