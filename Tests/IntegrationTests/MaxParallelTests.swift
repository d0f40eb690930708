import Foundation
import Testing

/// `max_parallel: N` on a task: a cache warm-up that must not hit a shared service from every host at once.
@Suite(.tags(.sandbox)) struct MaxParallelTests {
    /// The most hosts that were inside the task at the same moment, from `start T` / `end T` lines.
    private func mostAtOnce(_ directory: String, hosts: [String]) throws -> Int {
        var events: [(time: Double, change: Int)] = []
        for host in hosts {
            let lines = try String(contentsOfFile: directory + "/" + host, encoding: .utf8).split(separator: "\n")
            for line in lines {
                let fields = line.split(separator: " ")
                events.append((Double(fields[1])!, fields[0] == "start" ? 1 : -1))
            }
        }
        // At equal times an end comes first: a host that finished makes room for the next.
        var now = 0, most = 0
        for event in events.sorted(by: { ($0.time, $0.change) < ($1.time, $1.change) }) {
            now += event.change
            most = max(most, now)
        }
        return most
    }

    @Test func aTaskWithMaxParallelTwoRunsOnTwoHostsAtOnceAndPlanSaysSo() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            // The hosts share the controller's /tmp (only /srv is their own): each writes its times there.
            let record = NSTemporaryDirectory() + "deployer-max-parallel-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o777])
            defer { try? FileManager.default.removeItem(atPath: record) }
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  warm_cache:
                    phase: before_switch
                    max_parallel: 2
                    run: "echo start $(date +%s.%N) >> \(record)/{{host}}; sleep 1; echo end $(date +%s.%N) >> \(record)/{{host}}"
                """)
            defer { app.remove() }
            let plan = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("max_parallel: warm_cache on at most 2 hosts at once"), "\(plan.output)")

            let push = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(push.status == 0, "\(push.output)")
            #expect(try mostAtOnce(record, hosts: sandbox.hosts) == 2)
        }
    }
}
