/// One environment of a recipe with everything resolved: the single value
/// that planning and execution consume. Produced by `DeployerLoading`.
public struct ResolvedEnvironment: Hashable, Sendable, Codable {
    public var app: String
    /// Environment name, e.g. `staging`.
    public var name: String
    public var deployTo: String
    public var keepReleases: Int
    public var source: Source
    public var shared: SharedPaths
    /// Hosts in inventory order, each once, with all its roles.
    public var hosts: [FleetHost]
    /// Recipe vars merged with environment vars (environment wins).
    public var vars: [String: String]
    public var dependencyEnvs: [DependencyEnv]
    /// All tasks, sorted by phase and then in a deterministic topological order of `needs`.
    public var tasks: [ResolvedTask]
    public var rolling: RollingPolicy
    /// The check of hosts whose roles have none of their own (see `health(for:)`).
    public var health: HealthCheck?
    /// Checks declared under a role (`hosts: { web: { hosts: […], health: … } }`), by role name.
    public var roleHealth: [String: HealthCheck]
    /// Names of secrets read from the controller's environment; their values are never printed.
    public var secrets: [String]
    /// Where secrets not in the controller's environment are read from, if anywhere.
    public var secretsFile: SecretsFile?
    /// Which remote shell runs commands (see README: "Which shell runs your commands").
    public var shell: RemoteShell
    /// Notifications sent from the controller (the environment's `notify:`, else the recipe's);
    /// not in the fingerprint: they change nothing on a host.
    public var notify: [NotifyHook] = []
    /// How long a run's lock stays good after its last heartbeat (`lock_ttl:`); nil: `LockLease.defaultTTLSeconds`.
    /// Not in the fingerprint: it changes how runs wait for each other, not what runs on a host.
    public var lockTTLSeconds: Int?
    /// The recipe's `maintenance:` commands; nil: the flag file `shared/maintenance.on`.
    public var maintenance: MaintenanceCommands?
    /// The SSH client the recipe chose for these hosts (`ssh: { transport: … }`); nil: the default,
    /// libssh2. Not in the fingerprint: it changes how hosts are reached, not what runs there.
    public var sshTransport: SSHTransportKind?
    /// Stable hash of everything above that affects what runs on a host.
    public var fingerprint: String
    /// The same hash without the hosts: what decides a release's contents and tasks, so a host added
    /// to the environment can join a release made before it was (`PushDecision.join`).
    public var releaseFingerprint: String = ""

    public init(app: String, name: String, deployTo: String, keepReleases: Int = 5, source: Source,
                shared: SharedPaths = SharedPaths(), hosts: [FleetHost], vars: [String: String] = [:],
                dependencyEnvs: [DependencyEnv] = [], tasks: [ResolvedTask] = [],
                rolling: RollingPolicy = RollingPolicy(), health: HealthCheck? = nil,
                roleHealth: [String: HealthCheck] = [:], secrets: [String] = [],
                shell: RemoteShell = .default, fingerprint: String = "") {
        self.app = app; self.name = name; self.deployTo = deployTo; self.keepReleases = keepReleases
        self.source = source; self.shared = shared; self.hosts = hosts; self.vars = vars
        self.dependencyEnvs = dependencyEnvs; self.tasks = tasks; self.rolling = rolling
        self.health = health; self.roleHealth = roleHealth; self.secrets = secrets; self.shell = shell; self.fingerprint = fingerprint
    }

    /// Hosts that have `role`, in inventory order.
    public func hosts(withRole role: String) -> [FleetHost] { hosts.filter { $0.roles.contains(role) } }

    /// The check `host` must pass after its switch: that of its first role (in
    /// the order the roles are declared) that has one, else the environment's.
    public func health(for host: FleetHost) -> HealthCheck? {
        host.roles.lazy.compactMap { roleHealth[$0] }.first ?? health
    }

    /// Tasks of one phase, in execution order.
    public func tasks(in phase: Phase) -> [ResolvedTask] { tasks.filter { $0.phase == phase } }
}

public enum Source: Hashable, Sendable, Codable {
    /// A git work tree; the artifact is `git archive` of `revision` (HEAD when nil) at `path` (a
    /// subdirectory archives only its own tree), with the trees of its submodules when `submodules`.
    case git(path: String, revision: String?, submodules: Bool = true)
    /// A plain directory, archived as it is.
    case dir(path: String)
}

public struct SharedPaths: Hashable, Sendable, Codable {
    public var dirs: [String]
    public var files: [String]
    public init(dirs: [String] = [], files: [String] = []) { self.dirs = dirs; self.files = files }
}

/// A content-addressed dependency environment (virtualenv-like): built once per
/// hash of its key files under `envs/NAME-HASH`, linked into each release as NAME.
public struct DependencyEnv: Hashable, Sendable, Codable {
    public var name: String
    /// Paths relative to the release root whose contents pick the environment.
    public var keyFiles: [String]
    /// Runs in the release directory; `{{env_dir}}` is the environment's directory.
    public var build: Template
    /// The build is stopped after this long (`timeout:`); nil waits for it.
    public var timeoutSeconds: Double?
    public var location: SourceLocation?
    public init(name: String, keyFiles: [String], build: Template, timeoutSeconds: Double? = nil, location: SourceLocation? = nil) {
        self.name = name; self.keyFiles = keyFiles; self.build = build; self.timeoutSeconds = timeoutSeconds; self.location = location
    }
}

public struct ResolvedTask: Hashable, Sendable, Codable {
    public var name: String
    public var phase: Phase
    /// Empty means every host.
    public var roles: [String]
    /// Run on one host only (the first of its roles, in inventory order).
    public var once: Bool
    public var needs: [String]
    public var run: Template
    /// Skip when this path (relative to the release, or absolute) exists.
    public var creates: Template?
    /// Skip when this command exits 0.
    public var unless: Template?
    /// Run only when this command exits 0.
    public var onlyIf: Template?
    /// `check:`: a read-only command, run in the new release at the end of prepare on the hosts that
    /// run the task, whose exit status says whether it has work: 0 nothing to do (the task is
    /// skipped), 1 work pending (its output is reported, the task runs), anything else a failure.
    public var check: Template?
    /// The recipe's promise that `unless` and `only_if` change nothing: only
    /// then may `deployer plan --run-guards` run them (plan runs no other recipe command).
    public var readOnlyGuards: Bool
    /// Run on the controller instead of the host: a build step (phase `build`).
    public var local: Bool
    /// What a build step leaves for the artifact (paths relative to the export); empty: the whole export
    /// when no build step declares any.
    public var outputs: [String] = []
    /// A build step's read-only question to every host, asked before the build (`host_probe`): the
    /// hosts must answer alike, and the step builds for that answer (the Python the hosts run, say).
    public var hostProbe: Template?
    public var timeoutSeconds: Double?
    public var env: [String: Template]
    public var location: SourceLocation?
    /// `max_parallel`: the script of the phase that runs this task goes to at most this many
    /// hosts at once (nil: as many as `--parallel`). Not part of the recipe fingerprint: it changes
    /// how fast a push goes, not what it deploys.
    public var maxParallel: Int?
    /// `irreversible: true`: once it ran for a release, a rollback to an older release is refused
    /// unless asked for with `--past-irreversible` (`IrreversibleRun`). Not part of the recipe
    /// fingerprint: it changes what a rollback checks, not what a push deploys.
    public var irreversible = false

    public init(name: String, phase: Phase, roles: [String] = [], once: Bool = false, needs: [String] = [],
                run: Template, creates: Template? = nil, unless: Template? = nil, onlyIf: Template? = nil,
                readOnlyGuards: Bool = false, local: Bool = false, timeoutSeconds: Double? = nil,
                env: [String: Template] = [:], location: SourceLocation? = nil) {
        self.name = name; self.phase = phase; self.roles = roles; self.once = once; self.needs = needs
        self.run = run; self.creates = creates; self.unless = unless; self.onlyIf = onlyIf
        self.readOnlyGuards = readOnlyGuards; self.local = local; self.timeoutSeconds = timeoutSeconds; self.env = env
        self.location = location
    }

    public func applies(to host: FleetHost) -> Bool { roles.isEmpty || !Set(roles).isDisjoint(with: host.roles) }
}

public struct RollingPolicy: Hashable, Sendable, Codable {
    public enum Size: Hashable, Sendable, Codable {
        case count(Int)
        case percent(Int)
        /// Hosts per batch for a fleet of `total` hosts (at least 1).
        public func hosts(of total: Int) -> Int {
            switch self {
            case let .count(n): return max(1, min(n, total))
            case let .percent(p): return max(1, min(total, (total * p + 99) / 100))
            }
        }
    }
    public enum OnFailure: String, Hashable, Sendable, Codable { case rollback, halt }

    /// nil: all hosts in one batch.
    public var batch: Size?
    public var canary: Int?
    public var pauseSeconds: Double
    public var maxFailures: Size
    public var onFailure: OnFailure
    /// Run before a host's switch (take it out of the load balancer), on the host or elsewhere.
    public var drain: RolloutHookCommand?
    /// Run after a host's health check passed (put it back), on the host or elsewhere.
    public var undrain: RolloutHookCommand?

    public init(batch: Size? = nil, canary: Int? = nil, pauseSeconds: Double = 0, maxFailures: Size = .count(0),
                onFailure: OnFailure = .rollback, drain: RolloutHookCommand? = nil, undrain: RolloutHookCommand? = nil) {
        self.batch = batch; self.canary = canary; self.pauseSeconds = pauseSeconds
        self.maxFailures = maxFailures; self.onFailure = onFailure; self.drain = drain; self.undrain = undrain
    }
}

public struct HealthCheck: Hashable, Sendable, Codable {
    public enum Probe: Hashable, Sendable, Codable {
        case command(Template)
        /// An HTTP GET made from the host (curl), expecting `status`.
        case http(url: Template, status: Int, unixSocket: Template?)
    }
    public var probe: Probe
    public var retries: Int
    public var intervalSeconds: Double
    public var timeoutSeconds: Double
    public var graceSeconds: Double
    public init(probe: Probe, retries: Int = 3, intervalSeconds: Double = 1, timeoutSeconds: Double = 10,
                graceSeconds: Double = 0) {
        self.probe = probe; self.retries = retries; self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds; self.graceSeconds = graceSeconds
    }
}

/// How a remote command is wrapped before sshd hands it to the user's login shell.
public enum RemoteShell: Hashable, Sendable, Codable {
    /// `sh -c '…'`: POSIX sh without profile files; PATH is sshd's default. Predictable and fast.
    case posix
    /// `bash -lc '…'`: a login shell, so `/etc/profile` and `~/.profile` set PATH as in an interactive SSH session.
    case login
    /// The recipe's own wrapper, e.g. `zsh -lc`; the command is appended as one quoted word.
    case custom(String)

    public static let `default` = RemoteShell.posix

    /// The command line that runs a script read from standard input: plain `sh -s` for `posix`
    /// (it reads the same in any login shell, and starts one shell less than `sh -c 'sh -s'`).
    public var scriptReader: String {
        self == .posix ? "sh -s" : wrap("sh -s")
    }

    /// What runs each command of the recipe inside deployer's scripts (tasks, guards, env builds,
    /// hooks and health checks on the host), so that they all run in the shell the recipe chose:
    /// `sh -c`, `bash -c` under `login` (the script's login shell has read the profile), or the
    /// recipe's own wrapper (split on spaces, as a shell splits an unquoted word).
    public var commandRunner: String {
        switch self {
        case .posix: return "sh -c"
        case .login: return "bash -c"
        case let .custom(prefix): return prefix
        }
    }

    /// The full command line to send over SSH.
    public func wrap(_ command: String) -> String {
        switch self {
        case .posix: return "sh -c " + ShellQuote.quote(command)
        case .login: return "bash -lc " + ShellQuote.quote(command)
        case let .custom(prefix): return prefix + " " + ShellQuote.quote(command)
        }
    }
}
