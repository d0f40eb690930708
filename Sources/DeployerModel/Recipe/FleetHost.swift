/// One host of an environment's fleet: where to reach it and the roles the recipe gives it.
///
/// Named for what it is rather than `Host`, which Foundation also declares (`Foundation.Host`),
/// so no file that imports both needs to spell `DeployerModel.Host`.
public struct FleetHost: Hashable, Sendable, Codable {
    public var address: HostAddress
    public var roles: [String]
    public init(address: HostAddress, roles: [String]) { self.address = address; self.roles = roles }
    public var name: String { address.name }
}
