/// One build step as `deployer plan` shows it.
public struct PlannedBuildStep: Hashable, Sendable, Codable {
    public var name: String
    /// The rendered command, secrets masked (a step's command holds references to them, not values).
    public var command: String

    public init(name: String, command: String) { self.name = name; self.command = command }
}
