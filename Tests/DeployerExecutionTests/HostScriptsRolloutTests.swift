import DeployerExecution
import DeployerModel
import Testing

/// The rollout script (hooks, switch, health check) as text, and its markers.
@Suite struct HostScriptsRolloutTests {
    static let release = ReleaseID(rawValue: "20261129T034500Z-3f2a9c1")

    static func script(_ health: RenderedHealthCheck?, drain: RenderedHook? = RenderedHook(command: "lb off 'web 1'"),
                       undrain: RenderedHook? = RenderedHook(command: "lb on")) -> String {
        HostScripts.rollout(deployTo: "/srv/app", RolloutScript(
            release: release, kind: .push, runID: "r1", drain: drain,
            tasks: [(.afterSwitch, [ScriptTask(name: "restart", command: "touch restarted")])],
            health: health, undrain: undrain)).text
    }

    @Test func stepsComeInOrderAndValuesAreQuoted() {
        let text = HostScriptsRolloutTests.script(RenderedHealthCheck(
            probe: .command("curl -fsS http://127.0.0.1:8000/health"), attempts: 3, intervalSeconds: 0.5,
            timeoutSeconds: 4, graceSeconds: 1))
        let order = ["report hook-start drain", "mv -T", "report task-start after_switch restart", "sleep 1\n",
                     "report health $attempt 3 ok", "report hook-start undrain"].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(text.contains("exec ${command_runner:-sh -c} 'lb off '\\''web 1'\\'''"))
        #expect(text.contains("exec timeout 4 ${command_runner:-sh -c} 'curl -fsS http://127.0.0.1:8000/health'"))
        #expect(text.contains("sleep 0.5; attempt=$((attempt + 1))"))
        #expect(text.contains("fail 'health check failed after 3 attempts'"))
    }

    @Test func anHTTPCheckComparesTheStatusThroughTheSocket() {
        let text = HostScriptsRolloutTests.script(RenderedHealthCheck(
            probe: .http(url: "http://localhost/health", status: 204, unixSocket: "/srv/app/shared/app.sock"),
            attempts: 1, intervalSeconds: 1, timeoutSeconds: 2, graceSeconds: 0), drain: nil, undrain: nil)
        // The URL reaches curl as its config on standard input, never as an argument (it may hold a secret).
        #expect(text.contains("printf '%s\\n' http://localhost/health | sed "))
        #expect(text.contains("| curl -sS -K - -o \"$logs_dir\"/health.body -w '%{http_code}' --max-time 2 --unix-socket /srv/app/shared/app.sock 2>\"$logs_dir\"/health.err"))
        #expect(text.contains("if [ \"$code\" = 204 ]"))
        #expect(text.contains("fail 'health check failed after 1 attempt'"))
        #expect(!text.contains("hook-start"))
        #expect(!text.contains("sleep 0"))
    }

    @Test func hooksThatRunElsewhereAreLeftOutOfTheHostsScript() {
        let text = HostScriptsRolloutTests.script(nil, drain: RenderedHook(command: "lb off web1", on: .controller),
                                                  undrain: RenderedHook(command: "lb on web1"))
        #expect(!text.contains("hook-start drain"))
        #expect(!text.contains("lb off"))
        #expect(text.contains("exec ${command_runner:-sh -c} 'lb on web1'"))
        #expect(text.range(of: "mv -T")!.lowerBound < text.range(of: "report hook-start undrain")!.lowerBound)
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
