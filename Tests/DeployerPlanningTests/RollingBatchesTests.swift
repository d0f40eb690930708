import DeployerModel
import DeployerPlanning
import Testing

/// Table-driven: given a rolling policy and a fleet, expect these batches and this failure budget.
@Suite struct RollingBatchesTests {
    static let five = ["h1", "h2", "h3", "h4", "h5"]

    @Test(arguments: [
        // (batch, canary, hosts, expected batches)
        (RollingPolicy.Size?.none, Int?.none, five, [five]),
        (.count(2), nil, five, [["h1", "h2"], ["h3", "h4"], ["h5"]]),
        (.percent(40), nil, five, [["h1", "h2"], ["h3", "h4"], ["h5"]]),
        (.percent(25), nil, five, [["h1", "h2"], ["h3", "h4"], ["h5"]]),
        (.percent(100), nil, five, [five]),
        (.count(9), nil, five, [five]),
        (.count(2), 1, five, [["h1"], ["h2", "h3"], ["h4", "h5"]]),
        (nil, 1, five, [["h1"], ["h2", "h3", "h4", "h5"]]),
        (.count(1), 7, five, [five]),
        (.count(3), nil, ["only"], [["only"]]),
        (.count(3), nil, [], []),
    ] as [(RollingPolicy.Size?, Int?, [String], [[String]])])
    func batchesInInventoryOrder(batch: RollingPolicy.Size?, canary: Int?, hosts: [String], expected: [[String]]) {
        #expect(RollingPolicy(batch: batch, canary: canary).batches(of: hosts) == expected)
    }

    @Test(arguments: [
        // (max_failures, hosts, tolerated)
        (RollingPolicy.Size.count(0), 5, 0),
        (.count(1), 5, 1),
        (.count(3), 2, 3),
        (.percent(10), 5, 0),
        (.percent(20), 5, 1),
        (.percent(50), 5, 2),
        (.percent(100), 50, 50),
    ] as [(RollingPolicy.Size, Int, Int)])
    func failureBudgetRoundsDown(maxFailures: RollingPolicy.Size, hosts: Int, tolerated: Int) {
        #expect(RollingPolicy(maxFailures: maxFailures).failureBudget(hostCount: hosts) == tolerated)
    }
}
