import Foundation
import Testing
import SSH

/// The throttle on connection starts, without hosts: how many run at once, and what a cancelled waiter leaves behind.
@Suite("Handshake throttle")
struct HandshakeThrottleTests {
    /// Counts what runs at once.
    private actor Gauge {
        private(set) var now = 0
        private(set) var peak = 0
        private(set) var finished = 0
        func enter() { now += 1; peak = max(peak, now) }
        func leave() { now -= 1; finished += 1 }
    }

    @Test func fiftyConnectionStartsRunThreeAtATime() async throws {
        let throttle = HandshakeThrottle(limit: 3)
        let gauge = Gauge()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await throttle.admit {
                        await gauge.enter()
                        try await Task.sleep(for: .milliseconds(2))
                        await gauge.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await gauge.finished == 50)
        #expect(await gauge.peak == 3)
        #expect(await throttle.peakInFlight == 3)
    }

    @Test func aFailedStartGivesItsPlaceBack() async throws {
        struct Refused: Error {}
        let throttle = HandshakeThrottle(limit: 1)
        await #expect(throws: Refused.self) { try await throttle.admit { throw Refused() } }
        #expect(try await throttle.admit { 42 } == 42)
    }

    @Test func aCancelledWaiterLeavesWithoutTakingAPlace() async throws {
        let throttle = HandshakeThrottle(limit: 1)
        let (holding, held) = AsyncStream.makeStream(of: Void.self)
        let (releasing, release) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await throttle.admit {
                held.yield()
                for await _ in releasing { break }
            }
        }
        for await _ in holding { break }
        let waiter = Task { try await throttle.admit { "ran" } }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        release.yield()
        try await holder.value
        // Had the cancelled waiter kept the place, this would wait forever.
        #expect(try await throttle.admit { "next" } == "next")
    }

    @Test func aLimitBelowOneIsOne() {
        #expect(HandshakeThrottle(limit: 0).limit == 1)
        #expect(HandshakeThrottle().limit == HandshakeThrottle.defaultLimit)
    }
}
