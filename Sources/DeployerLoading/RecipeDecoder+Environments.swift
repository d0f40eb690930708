import DeployerModel

/// `environments.NAME`: hosts by role, vars, rolling policy, health check.
extension RecipeDecoder {
    mutating func environment(_ name: String, _ key: YAMLNode, _ node: YAMLNode) -> RecipeEnvironment? {
        let context = "in environment '\(name)'"
        guard let f = fields(of: node, RecipeSchema.Environment.self, in: context) else { return nil }
        var environment = RecipeEnvironment(name: name, roles: [], location: key.location)
        if let hosts = f[.hosts] {
            hostsLocations[name] = hosts.key.location
            environment.roles = entries(of: hosts.value, what: "a mapping of role names to lists of hosts").map { role in
                checkName(role.name, kind: "role", at: role.key.location)
                return self.role(role.name, role.key, role.value, in: name)
            }
            if hosts.value.isNull || hosts.value.pairs?.isEmpty == true {
                error("environment '\(name)' has no hosts", at: hosts.key.location)
            }
        } else {
            missing("hosts", in: context, at: key.location)
        }
        if let vars = f[.vars]?.value { environment.vars = self.vars(vars) }
        if let rolling = f[.rolling]?.value { environment.rolling = self.rolling(rolling, in: name) }
        if let health = f[.health]?.value { environment.health = self.health(health, in: "of environment '\(name)'") }
        if let allow = f[.allowRoleDifferences]?.value { environment.allowRoleDifferences = bool(allow) ?? false }
        if let notify = f[.notify]?.value { environment.notify = notifyHooks(notify) }
        if let ssh = f[.ssh]?.value { environment.sshTransport = sshTransport(ssh, in: name) }
        return environment
    }

    /// `ssh: { transport: libssh2 | openssh }`: the SSH client for the environment's hosts.
    mutating func sshTransport(_ node: YAMLNode, in environment: String) -> SSHTransportKind? {
        guard let f = fields(of: node, RecipeSchema.SSH.self, in: "in 'ssh' of environment '\(environment)'"),
              let value = f[.transport]?.value, let text = string(value, what: "'libssh2' or 'openssh'") else { return nil }
        guard let kind = SSHTransportKind(rawValue: text) else {
            let names = SSHTransportKind.allCases.map(\.rawValue)
            error("unknown SSH transport '\(text)'; expected 'libssh2' or 'openssh'" + Suggestion.didYouMean(text, in: names),
                  at: value.location)
            return nil
        }
        return kind
    }

    /// A role's hosts: a list (`web: [web1, web2]`), or a mapping with the
    /// list under `hosts` and the role's own health check (`web: { hosts: [web1], health: … }`).
    mutating func role(_ name: String, _ key: YAMLNode, _ node: YAMLNode, in environment: String) -> RecipeRole {
        var role = RecipeRole(name: name, hosts: [], location: key.location)
        var list = node
        if node.pairs != nil {
            let context = "in role '\(name)' of environment '\(environment)'"
            guard let f = fields(of: node, RecipeSchema.Role.self, in: context) else { return role }
            if let health = f[.health]?.value {
                role.health = self.health(health, in: "of role '\(name)' in environment '\(environment)'")
            }
            guard let hosts = f[.hosts]?.value else {
                missing("hosts", in: context, at: key.location)
                return role
            }
            list = hosts
        }
        let listed = names(list, what: "a list of hosts, or a mapping with 'hosts' and 'health'")
        if listed.isEmpty, list.isNull || list.items?.isEmpty == true {
            error("role '\(name)' lists no hosts", at: key.location)
        }
        role.hosts = listed.compactMap { host($0.name, at: $0.location) }
        return role
    }

    /// `[user@]host[:port]` or an ssh_config alias; shell-unsafe characters are refused.
    mutating func host(_ text: String, at location: SourceLocation,
                       expected: String = "an ssh_config alias or [user@]host[:port]") -> HostAddress? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        if let address = HostAddress(parsing: text),
           address.host.allSatisfy({ allowed.contains($0) || (text.hasPrefix("[") || text.contains("@[")) && $0 == ":" }),
           (address.user ?? "").allSatisfy({ allowed.contains($0) }),
           !address.host.hasPrefix("-") {
            return address
        }
        error("invalid host '\(text)'; write \(expected)", at: location)
        return nil
    }

    mutating func rolling(_ node: YAMLNode, in environment: String) -> RollingPolicy {
        var policy = RollingPolicy()
        guard let f = fields(of: node, RecipeSchema.Rolling.self, in: "in 'rolling' of environment '\(environment)'") else { return policy }
        if let v = f[.batch]?.value { policy.batch = size(v, minimum: 1) }
        if let v = f[.canary]?.value { policy.canary = integer(v, minimum: 1) }
        if let v = f[.pause]?.value { policy.pauseSeconds = duration(v) ?? 0 }
        if let v = f[.maxFailures]?.value { policy.maxFailures = size(v, minimum: 0) ?? .count(0) }
        if let v = f[.onFailure]?.value, let text = string(v, what: "'rollback' or 'halt'") {
            if let choice = RollingPolicy.OnFailure(rawValue: text) {
                policy.onFailure = choice
            } else {
                error("invalid on_failure '\(text)'; expected 'rollback' or 'halt'" + Suggestion.didYouMean(text, in: ["rollback", "halt"]),
                      at: v.location)
            }
        }
        if let v = f[.drain]?.value { policy.drain = hook(.drain, v, in: environment) }
        if let v = f[.undrain]?.value { policy.undrain = hook(.undrain, v, in: environment) }
        return policy
    }

    /// `drain: CMD` (on the host being switched) or `drain: { run: CMD, on: controller | HOST }`.
    mutating func hook(_ hook: RolloutHook, _ node: YAMLNode, in environment: String) -> RolloutHookCommand? {
        let context = "in '\(hook.rawValue)' of environment '\(environment)'"
        var runNode = node
        var target = HookTarget.switchedHost
        if node.pairs != nil {
            guard let f = fields(of: node, RecipeSchema.Hook.self, in: context) else { return nil }
            if let on = f[.on]?.value, let text = string(on, what: "'controller' or a host") {
                target = hookTarget(text, at: on.location) ?? target
            }
            guard let run = f[.run]?.value else {
                missing("run", in: context, at: node.location)
                return nil
            }
            runNode = run
        }
        guard let command = template(runNode) else { return nil }
        if command.source.allSatisfy(\.isWhitespace) {
            error("empty command \(context); write the command to run, or leave '\(hook.rawValue)' out", at: runNode.location)
            return nil
        }
        return RolloutHookCommand(run: command, on: target)
    }

    /// `controller`, or a host to reach over SSH. A near miss of `controller`
    /// is refused rather than taken for a host alias that would only fail at deploy time.
    mutating func hookTarget(_ text: String, at location: SourceLocation) -> HookTarget? {
        let controller = "controller"
        if text == controller { return .controller }
        if Suggestion.closest(to: text, in: [controller]) != nil {
            error("unknown hook target '\(text)'; did you mean '\(controller)'?", at: location,
                  note: "to name a host called '\(text)', write it with its user: 'USER@\(text)'", fixIt: controller)
            return nil
        }
        return host(text, at: location, expected: "'controller', an ssh_config alias or [user@]host[:port]").map(HookTarget.host)
    }

    /// A health check; `owner` says whose it is in messages (`of environment 'prod'`, `of role 'web' in environment 'prod'`).
    mutating func health(_ node: YAMLNode, in owner: String) -> HealthCheck? {
        guard let f = fields(of: node, RecipeSchema.Health.self, in: "in 'health' \(owner)") else { return nil }
        var probe: HealthCheck.Probe?
        switch (f[.run], f[.http]) {
        case let (run?, nil):
            probe = template(run.value).map(HealthCheck.Probe.command)
            for key in [RecipeSchema.Health.status, .unixSocket] {
                if let pair = f[key] { error("'\(key.rawValue)' applies only to 'http' health checks", at: pair.key.location) }
            }
        case let (nil, http?):
            let status = f[.status].flatMap { integer($0.value, minimum: 100, maximum: 599) } ?? 200
            let socket = f[.unixSocket].flatMap { template($0.value) }
            probe = template(http.value).map { .http(url: $0, status: status, unixSocket: socket) }
        case let (_?, http?):
            error("a health check takes either 'run' or 'http', not both", at: http.key.location)
        case (nil, nil):
            error("a health check needs 'run: COMMAND' or 'http: URL'", at: node.location)
        }
        guard let probe else { return nil }
        var check = HealthCheck(probe: probe)
        if let v = f[.retries]?.value, let n = integer(v, minimum: 0) { check.retries = n }
        if let v = f[.interval]?.value, let d = duration(v) { check.intervalSeconds = d }
        if let v = f[.timeout]?.value, let d = duration(v) { check.timeoutSeconds = d }
        if let v = f[.grace]?.value, let d = duration(v) { check.graceSeconds = d }
        return check
    }
}
