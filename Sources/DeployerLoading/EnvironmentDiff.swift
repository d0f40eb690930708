import DeployerModel

/// What differs between two resolved environments of one recipe, for
/// `deployer diff A B`.
///
/// Declared differences are the ones a recipe exists to express: host lists
/// (counts per role), vars, and role sets when an environment sets
/// `allow_role_differences`. Everything else (rolling policy, health check,
/// roles otherwise, tasks per role) is drift: staging would not rehearse
/// what prod does.
public struct EnvironmentDiff: Hashable, Sendable {
    /// Name of the first environment.
    public var left: String
    /// Name of the second environment.
    public var right: String
    /// In a fixed order: hosts, roles, tasks per role, vars, rolling, health.
    public var differences: [Difference]

    /// Compares `left` with `right`; `allowRoleDifferences` when either environment declares it.
    public init(_ left: ResolvedEnvironment, _ right: ResolvedEnvironment, allowRoleDifferences: Bool) {
        self.left = left.name
        self.right = right.name
        var found: [Difference] = []
        let leftRoles = Self.roles(of: left), rightRoles = Self.roles(of: right)
        for role in Self.union(leftRoles, rightRoles) {
            let l = left.hosts(withRole: role).count, r = right.hosts(withRole: role).count
            if leftRoles.contains(role) != rightRoles.contains(role) {
                found.append(Difference(aspect: .roles, item: role, left: leftRoles.contains(role) ? "\(l) hosts" : "absent",
                                        right: rightRoles.contains(role) ? "\(r) hosts" : "absent", declared: allowRoleDifferences))
            } else if l != r {
                found.append(Difference(aspect: .hosts, item: role, left: "\(l)", right: "\(r)", declared: true))
            } else {
                // As many hosts, other names: a difference too (declared, as hosts are).
                let leftNames = left.hosts(withRole: role).map(\.name), rightNames = right.hosts(withRole: role).map(\.name)
                if leftNames != rightNames {
                    found.append(Difference(aspect: .hosts, item: role, left: leftNames.joined(separator: ","),
                                            right: rightNames.joined(separator: ","), declared: true))
                }
            }
        }
        for role in Self.union(leftRoles, rightRoles) where leftRoles.contains(role) && rightRoles.contains(role) {
            let l = Self.tasks(of: left, role: role), r = Self.tasks(of: right, role: role)
            if l != r { found.append(Difference(aspect: .tasks, item: role, left: l, right: r, declared: false)) }
        }
        for name in Set(left.vars.keys).union(right.vars.keys).sorted() where left.vars[name] != right.vars[name] {
            found.append(Difference(aspect: .vars, item: name, left: left.vars[name] ?? "(unset)", right: right.vars[name] ?? "(unset)",
                                    declared: true))
        }
        for (item, l, r) in Self.rollingFields(left.rolling, right.rolling) where l != r {
            found.append(Difference(aspect: .rolling, item: item, left: l, right: r, declared: false))
        }
        let lh = Self.describe(left.health), rh = Self.describe(right.health)
        if lh != rh { found.append(Difference(aspect: .health, item: "check", left: lh, right: rh, declared: false)) }
        for role in Set(left.roleHealth.keys).union(right.roleHealth.keys).sorted() {
            let l = Self.describe(left.roleHealth[role]), r = Self.describe(right.roleHealth[role])
            if l != r { found.append(Difference(aspect: .health, item: "role \(role)", left: l, right: r, declared: false)) }
        }
        differences = found
    }

    /// True when a difference is not declared: `deployer diff` exits 1.
    public var hasDrift: Bool { differences.contains { !$0.declared } }

    private static func roles(of environment: ResolvedEnvironment) -> [String] {
        var seen = Set<String>()
        return environment.hosts.flatMap(\.roles).filter { seen.insert($0).inserted }
    }

    private static func union(_ a: [String], _ b: [String]) -> [String] { a + b.filter { !a.contains($0) } }

    private static func tasks(of environment: ResolvedEnvironment, role: String) -> String {
        let names = environment.tasks.filter { !$0.local && ($0.roles.isEmpty || $0.roles.contains(role)) }.map(\.name)
        return names.isEmpty ? "(none)" : names.joined(separator: ", ")
    }

    private static func rollingFields(_ l: RollingPolicy, _ r: RollingPolicy) -> [(String, String, String)] {
        func size(_ s: RollingPolicy.Size?) -> String {
            switch s {
            case nil: return "all hosts"
            case let .count(n)?: return "\(n)"
            case let .percent(p)?: return "\(p)%"
            }
        }
        return [
            ("batch", size(l.batch), size(r.batch)),
            ("canary", l.canary.map(String.init) ?? "none", r.canary.map(String.init) ?? "none"),
            ("pause", "\(l.pauseSeconds)s", "\(r.pauseSeconds)s"),
            ("max_failures", size(l.maxFailures), size(r.maxFailures)),
            ("on_failure", l.onFailure.rawValue, r.onFailure.rawValue),
            ("drain", describe(l.drain), describe(r.drain)),
            ("undrain", describe(l.undrain), describe(r.undrain)),
        ]
    }

    /// `none`, the command, or the command and where it runs: `lb-off {{host}} (on controller)`.
    private static func describe(_ hook: RolloutHookCommand?) -> String {
        guard let hook else { return "none" }
        return hook.target == .switchedHost ? hook.run.source : "\(hook.run.source) (on \(hook.target))"
    }

    private static func describe(_ health: HealthCheck?) -> String {
        guard let health else { return "none" }
        let probe: String
        switch health.probe {
        case let .command(run): probe = "run \(run.source)"
        case let .http(url, status, socket): probe = "http \(url.source) → \(status)" + (socket.map { " via \($0.source)" } ?? "")
        }
        return "\(probe), \(health.retries) retries every \(health.intervalSeconds)s, timeout \(health.timeoutSeconds)s, grace \(health.graceSeconds)s"
    }
}
