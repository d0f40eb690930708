import Testing
@testable import SSH

@Suite("Input pacing")
struct InputPacingTests {
    @Test func noLimitBeforeAnyExchangeWasTimed() {
        #expect(InputPacing.limit(roundTrip: nil) == .max)
    }

    @Test func aNearHostGetsTheLeast() {
        #expect(InputPacing.limit(roundTrip: 0) == 256 * 1024)
        #expect(InputPacing.limit(roundTrip: 100_000) == 256 * 1024)
        #expect(InputPacing.limit(roundTrip: 15_000_000) == 256 * 1024)
    }

    @Test func aDistantHostGetsWhatItsLinkFillsInOneRoundTrip() {
        // 50 ms at 16 MiB/s: 838,860 bytes, a 2 MiB upload in three windows.
        #expect(InputPacing.limit(roundTrip: 50_000_000) == 838_860)
        #expect(InputPacing.limit(roundTrip: 200_000_000) == 3_355_443)
        #expect(InputPacing.limit(roundTrip: .max) == InputPacing.limit(roundTrip: 10_000_000_000))
    }
}
