/// A role of an environment (`web: [web1, web2]`) and its hosts in the order written.
public struct RecipeRole: Hashable, Sendable {
    /// The role name, e.g. `web`.
    public var name: String
    /// Its hosts in the order written.
    public var hosts: [HostAddress]
    /// Where the role name is written.
    public var location: SourceLocation?

    /// A role from its parts.
    public init(name: String, hosts: [HostAddress], location: SourceLocation? = nil) {
        self.name = name; self.hosts = hosts; self.location = location
    }
}
