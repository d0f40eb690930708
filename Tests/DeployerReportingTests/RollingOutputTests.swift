import DeployerModel
import DeployerReporting
import Foundation
import Testing

/// A rolling push whose second batch fails its health check, as the plain
/// log and the live view show it: batches, hooks, health tries, the way
/// back, and the final table host → release → result.
@Suite struct RollingOutputTests {
    static let old = ReleaseID(rawValue: "20261128T101500Z-aa11bb2")
    static let new = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")

    static let events: [DeployEvent] = {
        let hosts = ["web1", "web2", "web3"]
        var events: [DeployEvent] = [
            .runStarted(action: .push, environment: "prod", runID: "r1", hosts: hosts),
            .releaseChosen(release: new, revision: "3f2a9c1d"),
            .batchStarted(index: 1, count: 2, hosts: ["web1"], canary: true, kind: .push),
            .stepStarted(host: "web1", step: .switch),
            .hookFinished(host: "web1", hook: .drain, seconds: 0.1, exitStatus: 0),
            .switched(host: "web1", from: old, to: new, kind: .push),
            .healthChecked(host: "web1", attempt: 1, attempts: 2, ok: true, output: []),
            .hookFinished(host: "web1", hook: .undrain, seconds: 0.1, exitStatus: 0, on: .controller),
            .stepFinished(host: "web1", step: .switch, seconds: 0.4, outcome: .succeeded),
            .batchFinished(index: 1, count: 2, hosts: ["web1"], failed: [], kind: .push),
            .batchStarted(index: 2, count: 2, hosts: ["web2", "web3"], canary: false, kind: .push),
        ]
        for host in ["web2", "web3"] {
            events += [.stepStarted(host: host, step: .switch), .switched(host: host, from: old, to: new, kind: .push)]
        }
        events += [
            .healthChecked(host: "web3", attempt: 1, attempts: 2, ok: false, output: RollingOutputTests.serverError),
            .healthChecked(host: "web2", attempt: 1, attempts: 2, ok: true, output: []),
            .healthChecked(host: "web3", attempt: 2, attempts: 2, ok: false, output: RollingOutputTests.serverError),
            .stepFinished(host: "web3", step: .switch, seconds: 2.5, outcome: .failed(
                task: nil, exitStatus: 1, message: "health check failed after 2 attempts",
                stderrTail: [], command: "curl -sS http://localhost/health")),
            .batchFinished(index: 2, count: 2, hosts: ["web2", "web3"], failed: ["web3"], kind: .push),
            .batchStarted(index: 2, count: 2, hosts: ["web2", "web3"], canary: false, kind: .revert),
        ]
        for host in ["web2", "web3"] { events.append(.switched(host: host, from: new, to: old, kind: .revert)) }
        events += [
            .batchFinished(index: 2, count: 2, hosts: ["web2", "web3"], failed: [], kind: .revert),
            .batchStarted(index: 1, count: 2, hosts: ["web1"], canary: false, kind: .revert),
            .switched(host: "web1", from: new, to: old, kind: .revert),
            .batchFinished(index: 1, count: 2, hosts: ["web1"], failed: [], kind: .revert),
        ]
        events += hosts.map { .lockReleased(host: $0) }
        events.append(.summary(RunSummary(
            action: .push, result: .failed, release: new, message: "batch 2/2 brought the failures to 1",
            hosts: hosts.map { RunSummary.HostState(host: $0, current: old, known: true, lockReleased: true) },
            seconds: 9)))
        return events
    }()

    /// What a Django site in production answers a failing health check: a page of HTML.
    static let serverError = [
        "HTTP status 500, expected 200", "<!doctype html>", "<html lang=\"en\">", "<head>",
        "  <title>Server Error (500)</title>", "</head>", "<body>", "  <h1>Server Error (500)</h1><p></p>", "</body>",
        "</html>",
    ]

    @Test func aFailedHealthTryIsOneLineWithTheStatusAndTheBodyShortUnlessVerbose() {
        for verbosity in [Verbosity.normal, .verbose] {
            let output = LineCollector()
            let reporter = PlainReporter(verbosity: verbosity, clock: nil, write: output.write)
            RollingOutputTests.events.forEach(reporter.report)
            let lines = output.text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("web3 |") }
            let tries = lines.filter { $0.contains("health attempt") }
            #expect(tries == [1, 2].map {
                "web3 | health attempt \($0)/2 failed: HTTP status 500, expected 200; body: Server Error (500) Server Error (500)"
            }, "\(output.text)")
            #expect(!lines.contains { $0.contains("stderr:") || $0.contains("output:") }, "\(output.text)")
            let body = lines.filter { $0.hasPrefix("web3 |   body: ") }
            #expect(body.count == (verbosity == .verbose ? 18 : 0), "\(output.text)")
            if verbosity == .verbose { #expect(body.contains("web3 |   body:   <title>Server Error (500)</title>")) }
        }
    }

    @Test func thePlainLogShowsBatchesHealthTriesAndTheWayBack() {
        let output = LineCollector()
        let reporter = PlainReporter(clock: nil, write: output.write)
        RollingOutputTests.events.forEach(reporter.report)
        let lines = output.text.split(separator: "\n").map(String.init)
        for expected in [
            "batch 1/2 (canary) started: web1",
            "web1 | drain hook ok (100 ms)",
            "web1 | undrain hook on controller ok (100 ms)",
            "web1 | health ok (attempt 1/2)",
            "batch 1/2 done: web1",
            "web3 | health attempt 1/2 failed: HTTP status 500, expected 200; body: Server Error (500) Server Error (500)",
            "web3 | switch FAILED with exit status 1: health check failed after 2 attempts",
            "web3 |   command: curl -sS http://localhost/health",
            "batch 2/2 FAILED on web3 (of web2, web3)",
            "switching back batch 2/2 started: web2, web3",
            "switching back batch 1/2 done: web1",
        ] {
            #expect(lines.contains(expected), "\(expected)\n\(output.text)")
        }
        let table = lines.drop { !$0.hasPrefix("host") }
        #expect(table.map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") } == [
            "host release result",
            "web1 \(RollingOutputTests.old) reverted",
            "web2 \(RollingOutputTests.old) reverted",
            "web3 \(RollingOutputTests.old) failed (switch, exit 1)",
        ])
    }

    @Test func theLiveViewSaysWhichBatchIsInFlight() {
        let upToSecondBatch = RollingOutputTests.events.firstIndex {
            if case .healthChecked("web3", 1, _, _, _) = $0 { true } else { false }
        }! + 1
        let screen = TerminalReporterTests.screen(TerminalReporterTests.render(RollingOutputTests.events,
                                                                               upTo: upToSecondBatch, finish: false))
        #expect(screen.text.contains("batch 2/2 in flight (web2, web3)"), "\(screen.text)")
        #expect(screen.text.contains("web3  switch › health 1/2 failed"), "\(screen.text)")
        #expect(screen.text.contains("web1  switch done, waiting"), "\(screen.text)")
    }
}
