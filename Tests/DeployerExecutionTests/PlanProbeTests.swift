import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// The plan's probe script run locally: guards answered, nothing changed,
/// and the same guard text as the push's task script.
@Suite struct PlanProbeTests {
    static let tasks: [(phase: Phase, task: ScriptTask)] = [
        (.prepare, ScriptTask(name: "exists", command: "false", creates: "'DIR/shared/seeded'")),
        (.prepare, ScriptTask(name: "missing", command: "false", creates: "'DIR/shared/nothing'")),
        (.beforeSwitch, ScriptTask(name: "unless_ok", command: "false", unless: "test -n \"$FLAG\"",
                                   environment: [(key: "FLAG", value: "on")])),
        (.afterSwitch, ScriptTask(name: "only_if_fails", command: "false", onlyIf: "false")),
        (.afterSwitch, ScriptTask(name: "only_if_ok", command: "false", onlyIf: "true")),
    ]

    static func listing(_ directory: String) async throws -> String {
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "cd \(directory) && find . -printf '%p %s %T@ %m\\n' | sort"])
        return String(decoding: output.stdout, as: UTF8.self)
    }

    @Test func guardsAreAnsweredFromDeployToAndNothingChanges() async throws {
        let directory = NSTemporaryDirectory() + "deployer-plan-probe-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/shared", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/shared/seeded", contents: Data())
        let tasks = Self.tasks.map { ($0.phase, ScriptTask(name: $0.task.name, command: $0.task.command,
                                                           creates: $0.task.creates?.replacingOccurrences(of: "DIR", with: directory),
                                                           unless: $0.task.unless, onlyIf: $0.task.onlyIf,
                                                           environment: $0.task.environment)) }
        let script = HostScripts.planProbe(deployTo: directory, tasks: tasks)
        let before = try await Self.listing(directory)
        let output = try await ProcessRunner.run("/bin/sh", ["-c", script.text])
        #expect(output.status == 0)
        #expect(try await Self.listing(directory) == before)
        let skipped = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            guard case let .taskSkipped(phase, task, _)? = ScriptMarker(line: line) else { return nil }
            return "\(phase.rawValue)/\(task)"
        }
        #expect(skipped == ["prepare/exists", "before_switch/unless_ok", "after_switch/only_if_fails"])
    }

    @Test func theProbeChecksGuardsWithThePushsOwnShellText() {
        let release = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")
        let probe = HostScripts.planProbe(deployTo: "/srv/app", tasks: Self.tasks).lines
        for (phase, task) in Self.tasks {
            let push = HostScripts.tasks(deployTo: "/srv/app", release: release, phase: phase, tasks: [task]).lines
            let guardLines = push.filter { $0.hasPrefix("if ") || $0.hasPrefix("elif ") }
            #expect(!guardLines.isEmpty)
            for line in guardLines { #expect(probe.contains(line), "\(task.name): \(line)") }
        }
    }
}
