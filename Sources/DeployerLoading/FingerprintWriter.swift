import DeployerModel

/// The canonical serialization hashed into a resolved environment's
/// fingerprint: every field written as `name=<length>:value;` in a fixed
/// order (dictionaries by sorted key), so no value can be mistaken for a
/// separator and the text does not depend on any encoder's formatting.
struct FingerprintWriter {
    private(set) var text = ""

    mutating func field(_ name: String, _ value: String) {
        text += name
        text += "="
        text += String(value.utf8.count)
        text += ":"
        text += value
        text += ";"
    }

    mutating func field(_ name: String, _ value: Template?) { field(name, value.map { "t" + $0.source } ?? "-") }
    mutating func field(_ name: String, _ value: Double?) { field(name, value.map { "\($0)" } ?? "-") }
    mutating func field(_ name: String, _ value: Int?) { field(name, value.map(String.init) ?? "-") }
    mutating func field(_ name: String, _ value: Bool) { field(name, value ? "1" : "0") }

    mutating func field(_ name: String, _ value: RollingPolicy.Size?) {
        switch value {
        case nil: field(name, "-")
        case let .count(n)?: field(name, "\(n)")
        case let .percent(p)?: field(name, "\(p)%")
        }
    }

    mutating func list(_ name: String, _ values: [String]) {
        field(name, String(values.count))
        for value in values { field("", value) }
    }

    mutating func write(_ environment: ResolvedEnvironment) {
        field("schema", "1")
        field("app", environment.app)
        field("deploy_to", environment.deployTo)
        field("keep_releases", environment.keepReleases)
        switch environment.source {
        case let .git(path, revision, submodules):
            field("source", "git"); field("path", path); field("revision", revision ?? "-")
            // Only when not the default, so that recipes without the key keep their fingerprints.
            if !submodules { field("submodules", false) }
        case let .dir(path): field("source", "dir"); field("path", path)
        }
        switch environment.shell {
        case .posix: field("shell", "posix")
        case .login: field("shell", "login")
        case let .custom(wrapper): field("shell", "custom " + wrapper)
        }
        list("shared.dirs", environment.shared.dirs)
        list("shared.files", environment.shared.files)
        field("hosts", environment.hosts.count)
        for host in environment.hosts { field("host", host.name); list("roles", host.roles) }
        field("vars", environment.vars.count)
        for key in environment.vars.keys.sorted() { field(key, environment.vars[key]!) }
        list("secrets", environment.secrets.sorted())
        field("envs", environment.dependencyEnvs.count)
        for env in environment.dependencyEnvs {
            field("env", env.name); list("key", env.keyFiles); field("build", env.build)
            // Only when set, so that recipes without one keep their fingerprints.
            if let timeout = env.timeoutSeconds { field("timeout", timeout) }
        }
        field("tasks", environment.tasks.count)
        for task in environment.tasks { write(task) }
        write(environment.rolling)
        write(environment.health)
        for role in environment.roleHealth.keys.sorted() {
            field("role_health", role)
            write(environment.roleHealth[role])
        }
    }

    private mutating func write(_ task: ResolvedTask) {
        field("task", task.name)
        field("phase", task.phase.rawValue)
        list("roles", task.roles)
        field("once", task.once)
        list("needs", task.needs)
        field("run", task.run)
        field("creates", task.creates)
        field("unless", task.unless)
        field("only_if", task.onlyIf)
        field("check", task.check)
        field("local", task.local)
        if !task.outputs.isEmpty { list("outputs", task.outputs) }
        if let probe = task.hostProbe { field("host_probe", probe) }
        field("timeout", task.timeoutSeconds)
        field("env", task.env.count)
        for key in task.env.keys.sorted() { field(key, task.env[key]) }
    }

    private mutating func write(_ rolling: RollingPolicy) {
        field("batch", rolling.batch)
        field("canary", rolling.canary)
        field("pause", rolling.pauseSeconds)
        field("max_failures", rolling.maxFailures)
        field("on_failure", rolling.onFailure.rawValue)
        write("drain", rolling.drain)
        write("undrain", rolling.undrain)
    }

    /// The hook's command; its place only when it is not the switched host, so
    /// that recipes written before hooks could run elsewhere keep their fingerprint.
    private mutating func write(_ name: String, _ hook: RolloutHookCommand?) {
        field(name, hook?.run)
        switch hook?.target {
        case nil, .switchedHost?: break
        case .controller?: field(name + ".on", "controller")
        case let .host(address)?: field(name + ".on", "host " + address.name)
        }
    }

    private mutating func write(_ health: HealthCheck?) {
        guard let health else { return field("health", "-") }
        switch health.probe {
        case let .command(run): field("health", "run"); field("run", run)
        case let .http(url, status, socket): field("health", "http"); field("url", url); field("status", status); field("unix_socket", socket)
        }
        field("retries", health.retries)
        field("interval", health.intervalSeconds)
        field("timeout", health.timeoutSeconds)
        field("grace", health.graceSeconds)
    }
}
