/// A role of an environment (`web: [web1, web2]`) and its hosts in the order written.
public struct RecipeRole: Hashable, Sendable {
    /// The role name, e.g. `web`.
    public var name: String
    /// Its hosts in the order written.
    public var hosts: [HostAddress]
    /// The check its hosts must pass after their switch, instead of the environment's (`health:` under the role).
    public var health: HealthCheck?
    /// Where the role name is written.
    public var location: SourceLocation?

    /// A role from its parts.
    public init(name: String, hosts: [HostAddress], health: HealthCheck? = nil, location: SourceLocation? = nil) {
        self.name = name; self.hosts = hosts; self.health = health; self.location = location
    }
}
