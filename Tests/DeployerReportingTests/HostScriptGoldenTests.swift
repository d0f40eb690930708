import DeployerExecution
import DeployerModel
import DeployerPlanning
import Testing

/// The scripts a host runs, rendered for fixture values (a deploy_to with a space, a run id with a
/// quote) and compared byte for byte with `Golden/host-scripts/*.sh`: the whole text a host gets,
/// readable in the repository. `Scripts/test` runs shellcheck over these files; here dash and bash
/// both parse each one.
@Suite struct HostScriptGoldenTests {
    static let deployTo = "/srv/my app"
    static let runID = "ann's-run-1"

    /// Each script of the templates in `Sources/DeployerExecution/Scripts/`, by golden file name: the task
    /// scripts for tasks with every guard, a timeout, an env, an irreversible record and a check.
    static let scripts: [(name: String, script: ShellScript)] = [
        ("probe.sh", HostScripts.probe(deployTo: deployTo)),
        ("unlock.sh", HostScripts.unlock(deployTo: deployTo, runID: runID)),
        ("heartbeat.sh", HostScripts.heartbeat(deployTo: deployTo, runID: runID)),
        ("lock.sh", HostScripts.lock(deployTo: deployTo, runID: runID, leaseJSON: #"{"run":"ann's-run-1","user":"ann"}"#,
                                     ttlSeconds: 600, breakStale: true, brokenHistoryLine: #"{"action":"break_lock"}"#,
                                     unlessCurrent: (revision: "4f1c2e9", fingerprint: "fp-recipe"), releaseFingerprint: "fp-release")),
        ("force-unlock.sh", HostScripts.forceUnlock(deployTo: deployTo, historyLine: #"{"action":"unlock","user":"ann"}"#)),
        ("finish.sh", HostScripts.finish(deployTo: deployTo, HostScripts.FinishInput(
            markFailed: (ReleaseID(rawValue: "20261203T120000Z-4f1c2e9"), "health check failed"),
            historyLine: #"{"action":"push","result":"failed"}"#,
            prune: [ReleaseID(rawValue: "20261201T080000Z-0a1b2c3"), ReleaseID(rawValue: "20261202T090000Z-1b2c3d4")],
            pruneCaches: true, runID: runID, finished: ReleaseID(rawValue: "20261202T100000Z-2c3d4e5"),
            irreversible: [IrreversibleRun(release: ReleaseID(rawValue: "20261203T120000Z-4f1c2e9"), task: "migrate's",
                                           at: "2026-12-03T12:01:00Z")]))),
        ("shared-put-setup.sh", HostScripts.sharedPutSetup(deployTo: deployTo, path: "config/app's.env")),
        ("shared-put.sh", HostScripts.sharedPut(deployTo: deployTo, path: "config/app's.env", digest: String(repeating: "ab", count: 32),
                                                mode: "0640", historyLine: #"{"action":"shared_put"}"#)),
        ("prepare.sh", HostScripts.prepare(deployTo: deployTo, HostScripts.PrepareInput(
            release: release, digest: String(repeating: "cd", count: 32),
            shared: SharedPaths(dirs: ["log", "public/uploads"], files: [".env", "config/app's.yml"]),
            envs: [HostScripts.EnvBuild(key: EnvKey(name: "venv", hash: "9f8e7d"), build: "python3 -m venv venv && venv/bin/pip install -r requirements.txt",
                                        timeoutSeconds: 599.5)],
            tasks: [ScriptTask(name: "assets", command: "make assets", creates: "public/assets")],
            markerJSON: #"{"release":"20261203T120000Z-4f1c2e9","revision":"4f1c2e9"}"#, receivesArtifact: true,
            revision: "4f1c2e9d0b", revisionTime: 1_796_212_800,
            checks: [.afterSwitch: [ScriptTask(name: "migrate", command: "./manage.py migrate", check: "./manage.py migrate --check")]]))),
        ("switch.sh", HostScripts.switch(deployTo: deployTo, release: release, kind: .push, runID: runID,
                                         tasks: [(.afterSwitch, [ScriptTask(name: "restart", command: "systemctl --user restart app")])])),
        ("switch-rollback.sh", HostScripts.switch(deployTo: deployTo, release: release, kind: .rollback, runID: runID, tasks: [])),
        ("rollout.sh", HostScripts.rollout(deployTo: deployTo, RolloutScript(
            release: release, kind: .push, runID: runID, drain: RenderedHook(command: "lb-ctl drain 'web 1'"),
            tasks: [(.afterSwitch, [ScriptTask(name: "restart", command: "systemctl --user restart app")])],
            health: RenderedHealthCheck(probe: .command("./bin/healthy --port 8000"), attempts: 3, intervalSeconds: 0.5,
                                        timeoutSeconds: 4, graceSeconds: 1),
            undrain: RenderedHook(command: "lb-ctl undrain 'web 1'")))),
        ("rollout-http.sh", HostScripts.rollout(deployTo: deployTo, RolloutScript(
            release: release, kind: .rollback, runID: runID, drain: nil, tasks: [],
            health: RenderedHealthCheck(probe: .http(url: #"'http://app:'"${HEALTH_TOKEN}"'@localhost/up'"#, status: 204,
                                                     unixSocket: "'/srv/my app/shared/app.sock'"),
                                        attempts: 1, intervalSeconds: 2, timeoutSeconds: 2.5, graceSeconds: 0),
            undrain: RenderedHook(command: "lb-ctl undrain web1", on: .controller)))),
        ("rollout-remove-current.sh", HostScripts.rollout(deployTo: deployTo, RolloutScript(
            release: nil, kind: .rollback, runID: runID, drain: RenderedHook(command: "lb-ctl drain web1"), tasks: [],
            health: nil, undrain: nil))),
        ("hook-command.sh", HostScripts.hook(deployTo: deployTo, command: "lb-ctl drain 'web 1'")),
        ("maintenance-on.sh", HostScripts.maintenance(deployTo: deployTo, on: maintenance, command: nil)),
        ("maintenance-on-command.sh", HostScripts.maintenance(deployTo: deployTo, on: maintenance, command: "./bin/maintenance on")),
        ("maintenance-off.sh", HostScripts.maintenance(deployTo: deployTo, on: nil, command: nil)),
        ("prepare-tasks.sh", HostScripts.prepare(deployTo: deployTo, HostScripts.PrepareInput(
            release: release, digest: String(repeating: "cd", count: 32), shared: SharedPaths(dirs: [], files: []), envs: [],
            tasks: [
                ScriptTask(name: "assets", command: "make assets", creates: "public/assets", unless: #"test -n "$SKIP_ASSETS""#,
                           onlyIf: "command -v make",
                           environment: [(key: "NODE_ENV", value: "production"), (key: "API_TOKEN", value: #""${API_TOKEN}""#)]),
                ScriptTask(name: "compile's", command: "./bin/compile --all", timeoutSeconds: 89.5),
                ScriptTask(name: "seed", command: "./manage.py loaddata seed", irreversible: true),
            ],
            markerJSON: #"{"release":"20261203T120000Z-4f1c2e9"}"#,
            checks: [.beforeSwitch: [ScriptTask(name: "migrate", command: "./manage.py migrate", creates: "'/srv/my app/shared/frozen'",
                                                environment: [(key: "DJANGO_SETTINGS_MODULE", value: "app.settings")],
                                                timeoutSeconds: 60, check: "./manage.py migrate --check")]]))),
        ("before-switch.sh", HostScripts.tasks(deployTo: deployTo, release: release, phase: .beforeSwitch, tasks: [
            ScriptTask(name: "migrate", command: "./manage.py migrate",
                       environment: [(key: "DJANGO_SETTINGS_MODULE", value: "app.settings")],
                       timeoutSeconds: 60, irreversible: true, check: "./manage.py migrate --check"),
        ])),
        ("on-failure.sh", HostScripts.failureTasks(deployTo: deployTo, release: release, tasks: [
            ScriptTask(name: "page", command: "./bin/page 'push failed'"),
        ])),
        ("task-on-demand.sh", HostScripts.onDemandTask(deployTo: deployTo, release: release, phase: .afterSwitch, task: ScriptTask(
            name: "clear cache", command: "./manage.py clear_cache", unless: "test -e maintenance.on", timeoutSeconds: 120))),
        ("plan-probe.sh", HostScripts.planProbe(deployTo: deployTo, tasks: [
            (.prepare, ScriptTask(name: "seeded", command: "./seed", creates: "'/srv/my app/shared/seeded'")),
            (.afterSwitch, ScriptTask(name: "warm", command: "./warm", unless: "./bin/warm --status", readOnlyGuards: true,
                                      environment: [(key: "PORT", value: "8000")])),
        ], checks: [.beforeSwitch: [ScriptTask(name: "migrate", command: "./manage.py migrate", creates: "'/srv/my app/shared/frozen'",
                                               timeoutSeconds: 30, check: "./manage.py migrate --check")]])),
    ]

    static let maintenance = MaintenanceState(since: "2026-12-03T12:00:00Z", by: "ann", runID: runID)

    static let release = ReleaseID(rawValue: "20261203T120000Z-4f1c2e9")

    /// The command a script that comes with a file runs under (not a script on standard input: no preamble).
    @Test func runnerMatchesItsGoldenFile() throws {
        try Golden.check(HostScripts.runner(deployTo: Self.deployTo) + "\n", "host-scripts/runner.sh")
    }

    @Test(arguments: scripts.map(\.name))
    func renderedScriptMatchesItsGoldenFile(name: String) throws {
        let script = try #require(Self.scripts.first { $0.name == name }?.script)
        try Golden.check(script.text, "host-scripts/" + name)
    }

    @Test(arguments: scripts.map(\.name), ["/usr/bin/dash", "/usr/bin/bash"])
    func renderedScriptParses(name: String, shell: String) async throws {
        let script = try #require(Self.scripts.first { $0.name == name }?.script)
        let result = try await ProcessRunner.run(shell, ["-n"], stdin: Array(script.text.utf8))
        #expect(result.status == 0, "\(shell) -n \(name): \(String(decoding: result.stderr, as: UTF8.self))")
    }
}
