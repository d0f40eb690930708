import Testing
import Synchronization
import DeployerModel

@Suite struct ConcurrentlyTests {
    /// How many bodies run at once, and the most that ever did.
    final class Occupancy: Sendable {
        private let counts = Mutex((now: 0, peak: 0))
        func enter() { counts.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
        func leave() { counts.withLock { $0.now -= 1 } }
        var peak: Int { counts.withLock { $0.peak } }
    }

    @Test func resultsComeInTheItemsOrderWithAtMostLimitRunning() async {
        let occupancy = Occupancy()
        // Later items finish first, so completion order is not the items' order.
        let outputs = await concurrently(Array(0..<12), atMost: 3) { item in
            occupancy.enter()
            try? await Task.sleep(for: .milliseconds(12 - item))
            occupancy.leave()
            return item * 10
        }
        #expect(outputs == (0..<12).map { $0 * 10 })
        #expect(occupancy.peak <= 3)
        #expect(occupancy.peak >= 1)
    }

    /// `--parallel 0` from a user still runs every item, one at a time, rather than none.
    @Test func aLimitBelowOneRunsOneAtATime() async {
        let occupancy = Occupancy()
        let outputs = await concurrently(["a", "b", "c"], atMost: 0) { item in
            occupancy.enter(); defer { occupancy.leave() }
            return item.uppercased()
        }
        #expect(outputs == ["A", "B", "C"])
        #expect(occupancy.peak == 1)
    }

    @Test func noItemsNoResults() async {
        let outputs = await concurrently([Int](), atMost: 4) { $0 }
        #expect(outputs.isEmpty)
    }
}
