/// Every key a recipe may contain, one enum per section: the single place the
/// schema is declared. The decoder's unknown-key check and "did you mean"
/// suggestions come from these enums, and a test checks that
/// docs/recipe-reference.md documents every case.
enum RecipeSchema {
    /// A section of the recipe: its keys are the enum's cases.
    protocol Section: RawRepresentable<String>, CaseIterable, Hashable, Sendable {}

    enum TopLevel: String, Section {
        case app, use, source, shell, shared, vars, secrets, environments, envs, tasks, notify, maintenance
        case deployTo = "deploy_to"
        case keepReleases = "keep_releases"
        case lockTTL = "lock_ttl"
        case secretsFile = "secrets_file"
    }

    enum Source: String, Section {
        case git, revision, submodules, dir
    }

    enum Shared: String, Section {
        case dirs, files
    }

    enum Environment: String, Section {
        case hosts, vars, rolling, health, notify, ssh
        case allowRoleDifferences = "allow_role_differences"
    }

    /// A role written as a mapping (`web: { hosts: [web1], health: … }`) rather than a list of hosts.
    enum SSH: String, Section {
        case transport
    }

    enum Role: String, Section {
        case hosts, health
    }

    enum Rolling: String, Section {
        case batch, canary, pause, drain, undrain
        case maxFailures = "max_failures"
        case onFailure = "on_failure"
    }

    /// A drain or undrain hook written as a mapping (`drain: { run: CMD, on: controller }`).
    enum Hook: String, Section {
        case run, on
    }

    enum Health: String, Section {
        case run, http, status, retries, interval, timeout, grace
        case unixSocket = "unix_socket"
    }

    /// `maintenance: { on: CMD, off: CMD }`.
    enum Maintenance: String, Section {
        case on, off
    }

    /// One entry of a `notify:` list.
    enum Notify: String, Section {
        case on, run, url, timeout
    }

    enum DependencyEnv: String, Section {
        case key, build, timeout
    }

    enum Task: String, Section {
        case run, phase, roles, once, needs, creates, unless, local, timeout, env, outputs, irreversible, check
        case onlyIf = "only_if"
        case readOnlyGuards = "read_only_guards"
        case maxParallel = "max_parallel"
        case hostProbe = "host_probe"
    }

    /// Every section with the name the reference uses for it, for the docs test.
    static let sections: [(name: String, keys: [String])] = [
        ("top level", TopLevel.allCases.map(\.rawValue)),
        ("source", Source.allCases.map(\.rawValue)),
        ("shared", Shared.allCases.map(\.rawValue)),
        ("environments.NAME", Environment.allCases.map(\.rawValue)),
        ("environments.NAME.hosts.ROLE", Role.allCases.map(\.rawValue)),
        ("environments.NAME.ssh", SSH.allCases.map(\.rawValue)),
        ("rolling", Rolling.allCases.map(\.rawValue)),
        ("rolling.drain, rolling.undrain", Hook.allCases.map(\.rawValue)),
        ("health", Health.allCases.map(\.rawValue)),
        ("envs.NAME", DependencyEnv.allCases.map(\.rawValue)),
        ("notify", Notify.allCases.map(\.rawValue)),
        ("maintenance", Maintenance.allCases.map(\.rawValue)),
        ("tasks.NAME", Task.allCases.map(\.rawValue)),
    ]

    /// Names people reach for from other tools, mapped to ours; offered as
    /// "did you mean" when the section has the target key.
    static let synonyms = [
        "command": "run", "cmd": "run", "script": "run", "role": "roles", "need": "needs", "depends_on": "needs",
        "requires": "needs", "host": "hosts", "servers": "hosts", "when": "only_if", "if": "only_if",
        "run_once": "once", "variables": "vars", "env_vars": "env", "environment": "env", "path": "deploy_to",
    ]

    /// The key of `Key`'s section that `name` most likely meant: by edit
    /// distance to a key or to a synonym of one.
    static func suggestion<Key: Section>(for name: String, in _: Key.Type) -> String? {
        let keys = Key.allCases.map(\.rawValue)
        let synonyms = Self.synonyms.filter { keys.contains($0.value) }
        // A synonym written exactly (`command`) is no edit away: `closest` skips a candidate equal to the name.
        if let exact = synonyms[name] { return exact }
        guard let closest = Suggestion.closest(to: name, in: keys + synonyms.keys.sorted()) else { return nil }
        return synonyms[closest] ?? closest
    }

    /// Template names every command may use; `env_dir` only inside `envs.*.build`.
    static let builtinVariables = ["app", "env", "host", "role", "release", "release_id", "revision",
                                   "deploy_to", "shared", "current"]
    static let envDirVariable = "env_dir"
    /// The built-in names a notification may use: it is sent once, from the controller, for no host or release.
    static let notifyVariables = ["app", "env"]
}
