import DeployerModel
@testable import DeployerReporting
import Foundation
import Testing

/// The plain reporter's lines: time, host column, no control characters.
@Suite struct PlainReporterTests {
    @Test func linesStartWithTheTimeAndTheHost() {
        let output = LineCollector()
        let reporter = PlainReporter(clock: { Date(timeIntervalSince1970: 1_795_923_907) },
                                     utc: true, write: output.write)
        reporter.report(.runStarted(action: .push, environment: "prod", runID: "r1", hosts: ["web1", "db-primary"]))
        reporter.report(.taskFinished(host: "web1", task: "migrate", phase: .beforeSwitch, seconds: 0.84, exitStatus: 0))
        #expect(output.text == """
            03:45:07 push prod: 2 hosts (run r1)
            03:45:07 web1       | before_switch task migrate ok (840 ms)

            """)
    }

    /// A host never probed (the run stopped before: another host could not be reached) is "unknown",
    /// not "none (last seen)"; a host lost after it was seen keeps its last release.
    @Test func theSummaryTableSaysWhatIsKnown() {
        let output = LineCollector()
        let reporter = PlainReporter(clock: { Date(timeIntervalSince1970: 1_795_923_907) }, utc: true, write: output.write)
        let seen = ReleaseID(rawValue: "20261128T101500Z-aa11bb2")
        reporter.report(.summary(RunSummary(action: .push, result: .unreachable, release: nil, message: "web2: connection refused",
                                            hosts: [.init(host: "web1", current: nil, known: false, lockReleased: true),
                                                    .init(host: "web2", current: seen, known: false, lockReleased: true),
                                                    .init(host: "web3", current: nil, known: true, lockReleased: true)],
                                            seconds: 1)))
        let rows = output.text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.contains { $0.suffix(3).prefix(2) == ["web1", "unknown"] }, "\(output.text)")
        #expect(rows.contains { $0.contains("web2") && $0.contains(seen.rawValue) && $0.contains("seen)") }, "\(output.text)")
        #expect(rows.contains { $0.contains("web3") && $0.contains("none") }, "\(output.text)")
        #expect(!output.text.contains("none (last seen)"))
    }

    /// A failed first push: host2 switched, then went back to no release. The table once said
    /// `host2  none  switched`; it says what the host ended on.
    @Test func aHostTakenBackToNoReleaseIsReverted() {
        let output = LineCollector()
        let reporter = PlainReporter(clock: { Date(timeIntervalSince1970: 1_795_923_907) }, utc: true, write: output.write)
        let release = ReleaseID(rawValue: "20261128T101500Z-aa11bb2")
        reporter.report(.runStarted(action: .push, environment: "prod", runID: "r1", hosts: ["host1", "host2"]))
        reporter.report(.switched(host: "host2", from: nil, to: release, kind: .push))
        reporter.report(.summary(RunSummary(action: .push, result: .failed, release: release, message: "host1: health failed",
                                            hosts: [.init(host: "host1", current: nil, known: true, lockReleased: true),
                                                    .init(host: "host2", current: nil, known: true, lockReleased: true)],
                                            seconds: 1)))
        let row = output.text.split(separator: "\n").last { $0.contains("host2") && $0.contains("none") }
        #expect(row?.contains("reverted") == true && row?.contains("switched") == false, "\(output.text)")
    }

    @Test(arguments: Verbosity.allCases)
    func noControlCharacters(verbosity: Verbosity) {
        let text = GoldenTests.plain(ScriptedRun.failedPush + ScriptedRun.rollback, verbosity: verbosity)
        let controls = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) }
        #expect(controls.isEmpty)
    }

    @Test func hostTextIsMadeVisible() {
        #expect("a\u{1B}[2Jb\tc\u{7F}\u{9B}".displaySafe == "a^[[2Jb c^?\u{FFFD}")
        #expect("one\r\ntwo\nthree".displayLines == ["one", "two", "three"])
    }

    @Test(arguments: [(0.0, "0 ms"), (0.8404, "840 ms"), (4.25, "4.3 s"), (59.94, "59.9 s"), (185, "3m05s"),
                      (-1, "?"), (.infinity, "?")])
    func durations(seconds: Double, text: String) {
        #expect(HumanUnits.duration(seconds) == text)
    }

    @Test(arguments: [(512, "512 B"), (48_213, "47.1 KiB"), (4 << 20, "4.0 MiB"), (3 << 40, "3.0 TiB"), (5 << 50, "5120.0 TiB")])
    func sizes(bytes: Int, text: String) {
        #expect(HumanUnits.bytes(bytes) == text)
    }
}
