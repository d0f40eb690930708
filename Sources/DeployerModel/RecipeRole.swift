/// A role of an environment (`web: [web1, web2]`) and its hosts in the order written.
public struct RecipeRole: Hashable, Sendable {
    public var name: String
    public var hosts: [HostAddress]
    public var location: SourceLocation?

    public init(name: String, hosts: [HostAddress], location: SourceLocation? = nil) {
        self.name = name; self.hosts = hosts; self.location = location
    }
}
