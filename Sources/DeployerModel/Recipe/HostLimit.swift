/// The hosts a command was limited to with `--hosts` and `--roles`, out of
/// its environment's fleet: a limited push is a real partial deploy, and its
/// plan and summary say how much of the fleet it covers.
public struct HostLimit: Hashable, Sendable, Codable {
    /// Every host of the environment, in inventory order.
    public var fleet: [FleetHost]
    /// The hosts selected, in inventory order.
    public var selected: [FleetHost]

    public init(fleet: [FleetHost], selected: [FleetHost]) { self.fleet = fleet; self.selected = selected }

    /// The environment's hosts the command does not touch, in inventory order.
    public var outside: [FleetHost] {
        let names = Set(selected.map(\.name))
        return fleet.filter { !names.contains($0.name) }
    }

    /// `3 of 10 hosts`.
    public var text: String { "\(selected.count) of \(fleet.count) host" + (fleet.count == 1 ? "" : "s") }

    /// What a limited run's summary says of the rest of the fleet: `the other 7 hosts were not
    /// touched`, `the other host was not touched`.
    public var outsideText: String {
        outside.count == 1 ? "the other host was not touched" : "the other \(outside.count) hosts were not touched"
    }
}
