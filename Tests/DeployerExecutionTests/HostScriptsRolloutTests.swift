import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The rollout script (hooks, switch, health check) as text, and its markers.
@Suite struct HostScriptsRolloutTests {
    static let release = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")

    /// The markers and exit status of the rollout script run by `shell` on a local deploy_to holding
    /// release `release`, locked by run `r1`; `hooks.log` in deploy_to collects what the hooks did.
    static func run(_ health: RenderedHealthCheck?, shell: String,
                    drain: RenderedHook? = RenderedHook(command: "echo \"drain 'web 1'\" >>hooks.log"),
                    undrain: RenderedHook? = RenderedHook(command: "echo undrain >>hooks.log"))
        async throws -> (markers: [ScriptMarker], status: Int32, hooks: String) {
        let deployTo = NSTemporaryDirectory() + "deployer rollout " + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: deployTo) }
        try FileManager.default.createDirectory(atPath: deployTo + "/releases/" + release.rawValue, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: deployTo + "/.deployer/lock", withIntermediateDirectories: true)
        try "{}\n".write(toFile: deployTo + "/releases/\(release.rawValue)/.deployer-release.json", atomically: true, encoding: .utf8)
        try "r1\n".write(toFile: deployTo + "/.deployer/lock/run", atomically: true, encoding: .utf8)
        let script = HostScripts.rollout(deployTo: deployTo, RolloutScript(
            release: release, kind: .push, runID: "r1", drain: drain,
            tasks: [(.afterSwitch, [ScriptTask(name: "restart", command: "touch restarted")])],
            health: health, undrain: undrain))
        let output = try await ProcessRunner.run(shell, ["-s"], stdin: Array(script.text.utf8))
        let markers = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").compactMap { ScriptMarker(line: $0) }
        let hooks = (try? String(contentsOfFile: deployTo + "/hooks.log", encoding: .utf8)) ?? ""
        return (markers, output.status, hooks)
    }

    /// Drain, switch, tasks, a health check that passes on its second try, undrain: in that order,
    /// under dash and bash, each failed try reporting its outcome and output.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func stepsComeInOrderAndAFailedTryReportsItsOutput(shell: String) async throws {
        let result = try await Self.run(RenderedHealthCheck(
            probe: .command("[ -e tried ] || { touch tried; echo 'not up yet'; exit 7; }"), attempts: 3, intervalSeconds: 0.1,
            timeoutSeconds: 4, graceSeconds: 0.1), shell: shell)
        #expect(result.status == 0)
        #expect(result.markers == [
            .hookStarted(.drain), .hookFinished(.drain, exitStatus: 0), .switched(from: nil, to: Self.release),
            .taskStarted(phase: .afterSwitch, task: "restart"), .taskFinished(phase: .afterSwitch, task: "restart", exitStatus: 0),
            .healthOutput(attempt: 1, line: "exit status 7"), .healthOutput(attempt: 1, line: "not up yet"),
            .healthChecked(attempt: 1, attempts: 3, ok: false), .healthChecked(attempt: 2, attempts: 3, ok: true),
            .hookStarted(.undrain), .hookFinished(.undrain, exitStatus: 0),
        ])
        #expect(result.hooks == "drain 'web 1'\nundrain\n")
    }

    /// A check that never passes stops the script after its last try: the host is not undrained.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func aSickHostIsNeverUndrained(shell: String) async throws {
        let result = try await Self.run(RenderedHealthCheck(
            probe: .command("sleep 5"), attempts: 2, intervalSeconds: 0, timeoutSeconds: 0.5, graceSeconds: 0), shell: shell)
        #expect(result.status == 124)
        #expect(result.markers.suffix(3) == [
            .healthOutput(attempt: 2, line: "timed out after 0.5 s"), .healthChecked(attempt: 2, attempts: 2, ok: false),
            .failed(what: "health check failed after 2 attempts", exitStatus: 124),
        ])
        #expect(result.hooks == "drain 'web 1'\n")
    }

    /// An HTTP check that gets no answer says so, and names the attempts in the singular for one.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func anHTTPCheckWithNoAnswerSaysSo(shell: String) async throws {
        let result = try await Self.run(RenderedHealthCheck(
            probe: .http(url: "'http://127.0.0.1:9/up'", status: 204, unixSocket: "'/nonexistent/app.sock'"),
            attempts: 1, intervalSeconds: 1, timeoutSeconds: 2, graceSeconds: 0), shell: shell, drain: nil, undrain: nil)
        #expect(result.status != 0)
        let output = result.markers.compactMap { marker -> String? in
            if case let .healthOutput(_, line) = marker { line } else { nil }
        }
        #expect(output.first?.hasPrefix("no answer: curl: (7)") == true, "\(output)")
        #expect(result.markers.last == .failed(what: "health check failed after 1 attempt", exitStatus: Int(result.status)))
        #expect(!result.markers.contains(.hookStarted(.drain)))
    }

    @Test func hooksThatRunElsewhereAreLeftOutOfTheHostsScript() {
        let text = HostScripts.rollout(deployTo: "/srv/app", RolloutScript(
            release: Self.release, kind: .push, runID: "r1", drain: RenderedHook(command: "lb off web1", on: .controller),
            tasks: [], health: nil, undrain: RenderedHook(command: "lb on web1"))).text
        #expect(!text.contains("hook_name=drain"))
        #expect(!text.contains("lb off"))
        #expect(text.contains("hook_name=undrain\nhook_command='lb on web1'\n"))
    }

    @Test func aHookRunElsewhereIsTheCommandWithItsErrorsInItsOutput() async throws {
        var script = HostScripts.hook(deployTo: "/srv/app", command: "echo out; echo \"$TOKEN\" >&2; exit 3")
        script.export(["TOKEN": "it's secret"])
        let result = try await LocalTransport().run("sh -s", stdin: Array(script.text.utf8), timeout: nil, onOutput: nil)
        #expect(result.exitStatus == 3)
        #expect(result.stdout == "out\nit's secret\n")
    }

    @Test(arguments: [
        ("::deployer hook-start drain", ScriptMarker.hookStarted(.drain)),
        ("::deployer hook-end undrain 3", .hookFinished(.undrain, exitStatus: 3)),
        ("::deployer health-output 2 curl: (7) Failed to connect", .healthOutput(attempt: 2, line: "curl: (7) Failed to connect")),
        ("::deployer health 2 5 failed", .healthChecked(attempt: 2, attempts: 5, ok: false)),
        ("::deployer health 1 1 ok", .healthChecked(attempt: 1, attempts: 1, ok: true)),
    ])
    func markersParse(line: String, expected: ScriptMarker) {
        #expect(ScriptMarker(line: Substring(line)) == expected)
    }

    @Test func malformedRolloutMarkersAreIgnored() {
        #expect(ScriptMarker(line: "::deployer hook-start lb") == nil)
        #expect(ScriptMarker(line: "::deployer health 1 3 maybe") == nil)
        #expect(ScriptMarker(line: "::deployer health-output x y") == nil)
    }
}
