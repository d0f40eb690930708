/// Where a drain or undrain hook runs (`on:` of `rolling.drain` and `rolling.undrain`).
public enum HookTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The host being switched, inside its rollout script, so a batch still costs one round trip per host.
    case switchedHost
    /// The machine running deployer, with `/bin/sh -c`: e.g. a load balancer's API called with the controller's credentials.
    case controller
    /// Another host, by ssh_config alias or `[user@]host[:port]`, e.g. the load balancer itself.
    /// It may be a host of the environment or only a hook target.
    case host(HostAddress)

    /// How plans and failures name the place: `the host`, `controller`, `lb1`.
    public var description: String {
        switch self {
        case .switchedHost: return "the host"
        case .controller: return "controller"
        case let .host(address): return address.name
        }
    }
}
