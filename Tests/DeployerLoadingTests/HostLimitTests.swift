import DeployerLoading
import DeployerModel
import Testing

/// `--hosts a,b` and `--roles web,worker` (README, Command reference): comma lists of names from
/// deploy.yml; given both, a host must be in both.
@Suite struct HostLimitTests {
    @Test func givenBothAHostMustBeInBoth() throws {
        let (limited, limit) = try OnDemandTaskTests.prod().limited(hosts: ["web2", "db1"], roles: ["web"])
        #expect(limited.hosts.map(\.name) == ["web2"])
        #expect(limit?.selected.map(\.name) == ["web2"])
        #expect(limit?.fleet.count == 4)
    }

    @Test func eitherAloneLimitsByItself() throws {
        #expect(try OnDemandTaskTests.prod().limited(hosts: ["db1", "web3"], roles: nil).0.hosts.map(\.name) == ["web3", "db1"])
        #expect(try OnDemandTaskTests.prod().limited(hosts: nil, roles: ["db"]).0.hosts.map(\.name) == ["db1"])
        #expect(try OnDemandTaskTests.prod().limited(hosts: nil, roles: nil).1 == nil)
    }

    @Test func noHostInBothIsRefusedNamingTheHostsWithThoseRoles() throws {
        let error = try #require(throws: ResolvedEnvironment.LimitError.self) {
            try OnDemandTaskTests.prod().limited(hosts: ["db1"], roles: ["web"])
        }
        #expect(error.description.contains("hosts with those roles: web1, web2, web3"), "\(error)")
    }
}
