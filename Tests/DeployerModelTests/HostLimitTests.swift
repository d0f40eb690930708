import Testing
import DeployerModel

@Suite struct HostLimitTests {
    private func limit(_ selected: [String], of fleet: [String]) -> HostLimit {
        let hosts = fleet.map { FleetHost(address: HostAddress(name: $0, user: nil, host: $0, port: nil), roles: ["web"]) }
        return HostLimit(fleet: hosts, selected: hosts.filter { selected.contains($0.name) })
    }

    /// A limited run's summary ended "the other 1 were not touched".
    @Test func theRestOfTheFleetIsCountedInWords() {
        #expect(limit(["web1"], of: ["web1", "web2"]).outsideText == "the other host was not touched")
        #expect(limit(["web1"], of: ["web1", "web2", "web3"]).outsideText == "the other 2 hosts were not touched")
        #expect(limit(["web1", "web2"], of: ["web1", "web2", "web3"]).text == "2 of 3 hosts")
    }
}
