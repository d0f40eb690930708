import DeployerModel
import DeployerReporting
import Testing

/// The plain and JSON reporters on the scripted runs, secrets masked as in a
/// real run, against golden files (no wall-clock time in them: the plain
/// reporter prints none, the JSON reporter reads a fake clock).
@Suite struct GoldenTests {
    static let runs = [("push-failed", ScriptedRun.failedPush), ("rollback", ScriptedRun.rollback)]

    static func plain(_ events: [DeployEvent], verbosity: Verbosity) -> String {
        let output = LineCollector()
        let reporter = MaskingReporter(secrets: ScriptedRun.secrets,
                                       wrapping: PlainReporter(verbosity: verbosity, clock: nil, write: output.write))
        events.forEach(reporter.report)
        return output.text
    }

    static func json(_ events: [DeployEvent]) -> String {
        let output = LineCollector()
        let clock = FakeClock(step: 0.25)
        let reporter = MaskingReporter(secrets: ScriptedRun.secrets,
                                       wrapping: JSONReporter(clock: clock.date, write: output.write))
        events.forEach(reporter.report)
        return output.text
    }

    @Test(arguments: runs.map(\.0))
    func plainOutput(run: String) throws {
        let events = try #require(GoldenTests.runs.first { $0.0 == run }?.1)
        try Golden.check(GoldenTests.plain(events, verbosity: .normal), "\(run).plain.txt")
        try Golden.check(GoldenTests.plain(events, verbosity: .verbose), "\(run).verbose.txt")
        try Golden.check(GoldenTests.plain(events, verbosity: .quiet), "\(run).quiet.txt")
    }

    @Test(arguments: runs.map(\.0))
    func jsonOutput(run: String) throws {
        let events = try #require(GoldenTests.runs.first { $0.0 == run }?.1)
        try Golden.check(GoldenTests.json(events), "\(run).jsonl")
    }
}
