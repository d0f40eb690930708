import DeployerModel
import DeployerReporting
import Foundation
import Testing

/// The live view, replayed on a virtual screen with a fake clock and
/// frames drawn by hand instead of by the timer.
@Suite struct TerminalReporterTests {
    /// Runs `events` through a terminal reporter, advancing the clock by
    /// `step` and drawing a frame after each one, and returns what it wrote.
    static func render(_ events: [DeployEvent], upTo count: Int? = nil, colors: Bool = false,
                       verbosity: Verbosity = .normal, size: TerminalReporter.Size = (100, 30),
                       finish: Bool = true) -> String {
        let clock = FakeClock(start: 1000)
        let output = LineCollector()
        let reporter = TerminalReporter(verbosity: verbosity, colors: colors, clock: clock.read, size: { size },
                                        refreshInterval: nil, write: output.write)
        for event in events.prefix(count ?? events.count) {
            clock.advance(by: 0.25)
            reporter.report(event)
            reporter.draw()
        }
        if finish { reporter.finish() }
        return output.text
    }

    static func screen(_ text: String) -> VirtualScreen {
        var screen = VirtualScreen()
        screen.feed(text)
        return screen
    }

    @Test(arguments: ["push-failed", "rollback"])
    func finalScreen(name: String) throws {
        let events = name == "rollback" ? ScriptedRun.rollback : ScriptedRun.failedPush
        let masked = events.map { $0.mappingStrings(SecretMask(secrets: ScriptedRun.secrets).apply) }
        let screen = TerminalReporterTests.screen(TerminalReporterTests.render(masked))
        #expect(screen.unexpected.isEmpty)
        try Golden.check(screen.text + "\n", "\(name).terminal.txt")
    }

    @Test func liveAreaMidRun() {
        // Up to db1's failing migrate task having started: web1 and web2 wait for db1.
        let index = ScriptedRun.failedPush.firstIndex {
            if case .taskStarted("db1", "migrate", .beforeSwitch, _) = $0 { true } else { false }
        }!
        let screen = TerminalReporterTests.screen(TerminalReporterTests.render(ScriptedRun.failedPush, upTo: index + 1,
                                                                                finish: false))
        let lines = screen.text.split(separator: "\n").suffix(4).map(String.init)
        #expect(lines == [
            "⠋ push prod · 20261129T034500Z-3f2a9c1 · 0/3 hosts done · 9.8 s",
            "  · web1  prepare done, waiting",
            "  · web2  prepare done, waiting",
            "  ⠋ db1   before_switch › migrate  250 ms",
        ])
    }

    @Test func nothingIsRedrawnWhenNothingChanged() {
        let clock = FakeClock(start: 1000)
        let output = LineCollector()
        let reporter = TerminalReporter(colors: false, clock: clock.read, size: { (80, 24) }, refreshInterval: nil,
                                        write: output.write)
        reporter.report(ScriptedRun.rollback[0])
        reporter.draw()
        let first = output.text
        reporter.draw()
        #expect(output.text == first)
        clock.advance(by: 0.1)
        reporter.draw()
        #expect(output.text != first)
    }

    @Test func linesFitTheWidthAndHostsTheHeight() {
        let hosts = (1...40).map { "web\($0)" }
        var events: [DeployEvent] = [.runStarted(action: .push, environment: "production-eu-west", runID: "r", hosts: hosts)]
        events += hosts.map { .stepStarted(host: $0, step: .prepare) }
        events += hosts.map { .taskStarted(host: $0, task: "a-task-with-a-rather-long-name-indeed", phase: .prepare) }
        let screen = TerminalReporterTests.screen(TerminalReporterTests.render(events, size: (40, 12), finish: false))
        // The run's first line scrolls up as it is written; the live area below it fits the terminal.
        let lines = screen.text.split(separator: "\n").dropFirst()
        #expect(lines.count == 11)
        #expect(lines.allSatisfy { $0.count <= 39 }, "\(lines)")
        #expect(lines.last == "  … and 31 more hosts at work")
    }

    @Test func coloursOnlyWhenAsked() {
        let plain = TerminalReporterTests.render(ScriptedRun.failedPush, colors: false)
        let coloured = TerminalReporterTests.render(ScriptedRun.failedPush, colors: true)
        #expect(!plain.contains("m\u{1B}") && plain.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) == nil)
        #expect(coloured.contains("\u{1B}[31m"))
        #expect(TerminalReporterTests.screen(coloured).text == TerminalReporterTests.screen(plain).text)
    }

    @Test func quietShowsProblemsAndTheSummaryOnly() {
        let screen = TerminalReporterTests.screen(TerminalReporterTests.render(ScriptedRun.failedPush, verbosity: .quiet))
        let lines = screen.text.split(separator: "\n")
        #expect(lines.first == "db1  | before_switch FAILED: task migrate exited with status 1")
        #expect(!screen.text.contains("✓"))
        #expect(screen.text.contains("push failed in 14.3 s"))
    }

    @Test func reportDoesNotWaitForASlowTerminal() {
        let reporter = TerminalReporter(colors: false, size: { (80, 24) }, refreshInterval: 0.002) { _ in
            Thread.sleep(forTimeInterval: 0.05)
        }
        let start = Date()
        for _ in 0..<20 { ScriptedRun.failedPush.forEach(reporter.report) }
        let elapsed = Date().timeIntervalSince(start)
        reporter.finish()
        #expect(elapsed < 1, "report took \(elapsed) s")
    }
}
