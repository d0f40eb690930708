/// One entry of a recipe's `environments` section, as written (not yet merged
/// with the recipe-wide values).
public struct RecipeEnvironment: Hashable, Sendable {
    /// The environment name, e.g. `prod`.
    public var name: String
    /// Role → hosts, in declaration order; this order is the inventory order.
    public var roles: [RecipeRole]
    /// Overrides of the recipe's `vars`.
    public var vars: [String: String]
    /// How `current` is switched across the hosts.
    public var rolling: RollingPolicy
    /// The check each host must pass after its switch, if any.
    public var health: HealthCheck?
    /// Set by `allow_role_differences: true`: this environment may have other roles than its siblings.
    public var allowRoleDifferences: Bool
    /// This environment's own notifications (`notify:`), replacing the recipe's; nil: the recipe's.
    public var notify: [NotifyHook]?
    /// Set by `ssh: { transport: … }`: the SSH client that reaches these hosts (nil: the default, libssh2).
    public var sshTransport: SSHTransportKind?
    /// Where the environment's name is written.
    public var location: SourceLocation?

    /// An environment from its parts.
    public init(name: String, roles: [RecipeRole], vars: [String: String] = [:], rolling: RollingPolicy = RollingPolicy(),
                health: HealthCheck? = nil, allowRoleDifferences: Bool = false, location: SourceLocation? = nil) {
        self.name = name; self.roles = roles; self.vars = vars; self.rolling = rolling; self.health = health
        self.allowRoleDifferences = allowRoleDifferences; self.location = location
    }

    /// Role names in declaration order.
    public var roleNames: [String] { roles.map(\.name) }

    /// Every host once, in inventory order (first mention wins), with all its roles.
    public var hosts: [FleetHost] {
        var order: [String] = []
        var byName: [String: FleetHost] = [:]
        for role in roles {
            for address in role.hosts {
                if byName[address.name] == nil {
                    order.append(address.name)
                    byName[address.name] = FleetHost(address: address, roles: [])
                }
                if !byName[address.name]!.roles.contains(role.name) { byName[address.name]!.roles.append(role.name) }
            }
        }
        return order.map { byName[$0]! }
    }
}
