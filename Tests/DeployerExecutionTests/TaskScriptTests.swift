import DeployerExecution
import DeployerModel
import DeployerPlanning
import Foundation
import Testing

/// The scripts that run tasks (`Scripts/tasks.sh`), run locally under dash and bash: markers, logs,
/// masking, guards, checks, the irreversible record, timeouts (124) and failures, as a host sees them.
@Suite struct TaskScriptTests {
    static let release = ReleaseID(rawValue: "20261203T120000Z-4f1c2e9")

    /// A deploy_to with a space, holding `release` with its logs directory.
    struct Host {
        let deployTo = NSTemporaryDirectory() + "deployer tasks " + UUID().uuidString
        var releaseDir: String { deployTo + "/releases/" + TaskScriptTests.release.rawValue }

        init() throws {
            try FileManager.default.createDirectory(atPath: releaseDir + "/.deployer-logs", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: deployTo + "/.deployer", withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(atPath: deployTo) }

        func read(_ path: String) throws -> String { try String(contentsOfFile: deployTo + "/" + path, encoding: .utf8) }

        /// The script's status, its marker lines (`::deployer ` left off) and its standard error.
        func run(_ script: ShellScript, shell: String) async throws -> (status: Int32, markers: [String], stderr: String) {
            let result = try await ProcessRunner.run(shell, ["-s"], stdin: Array(script.text.utf8))
            let markers = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("::deployer ") }.map { String($0.dropFirst("::deployer ".count)) }
            return (result.status, markers, String(decoding: result.stderr, as: UTF8.self))
        }
    }

    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func tasksRunInTheReleaseWithTheirEnvLogAndGuards(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        try "".write(toFile: host.releaseDir + "/built", atomically: true, encoding: .utf8)
        var script = HostScripts.tasks(deployTo: host.deployTo, release: Self.release, phase: .beforeSwitch, tasks: [
            // An env name the functions use themselves changes nothing but the command's environment.
            ScriptTask(name: "env's", command: #"printf '%s|%s|%s\n' "$MODE" "$task_command" "$(pwd -P)"; echo "token $API_TOKEN""#,
                       environment: [(key: "MODE", value: "'prod mode'"), (key: "task_command", value: "\"${API_TOKEN}\"")]),
            ScriptTask(name: "built", command: "false", creates: "built"),
            ScriptTask(name: "unless", command: "false", unless: #"test "$FLAG" = on"#, environment: [(key: "FLAG", value: "on")]),
            ScriptTask(name: "only_if", command: "false", onlyIf: "test -e missing"),
            ScriptTask(name: "migrate", command: "echo migrated", irreversible: true),
            ScriptTask(name: "slow", command: "sleep 30", timeoutSeconds: 0.5),
            ScriptTask(name: "never", command: "touch never"),
        ])
        script.export(["API_TOKEN": "s3cret"])
        let result = try await host.run(script, shell: shell)
        #expect(result.status == 124, "\(result.stderr)")
        #expect(result.markers == [
            "task-start before_switch env's", "task-end before_switch env's 0",
            "task-skip before_switch built creates: built exists",
            "task-skip before_switch unless unless: command succeeded",
            "task-skip before_switch only_if only_if: command failed",
            "task-start before_switch migrate", "task-end before_switch migrate 0",
            "task-start before_switch slow", "task-end before_switch slow 124",
            "failed slow 124",
        ])
        let releaseDir = try await ProcessRunner.run("/bin/sh", ["-c", "cd \"$0\" && pwd -P", host.releaseDir])
        #expect(try host.read("releases/\(Self.release)/.deployer-logs/env's.log")
            == "prod mode|****|\(String(decoding: releaseDir.stdout, as: UTF8.self).dropLast())\ntoken ****\n")
        let record = try host.read(".deployer/irreversible.jsonl")
        #expect(record.hasPrefix(#"{"at":"20"#) && record.hasSuffix(#"Z","release":"20261203T120000Z-4f1c2e9","task":"migrate"}"# + "\n"))
        #expect(!FileManager.default.fileExists(atPath: host.releaseDir + "/never"))
    }

    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func aFailedTaskStopsTheScriptWithItsStatusAndTheLogsTail(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        let script = HostScripts.tasks(deployTo: host.deployTo, release: Self.release, phase: .beforeSwitch, tasks: [
            ScriptTask(name: "broken", command: "echo 'first words'; echo 'last words' >&2; exit 3"),
        ])
        let result = try await host.run(script, shell: shell)
        #expect(result.status == 3)
        #expect(result.markers == ["task-start before_switch broken", "task-end before_switch broken 3", "failed broken 3"])
        #expect(result.stderr == "first words\nlast words\n")
    }

    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func anIrreversibleTaskThatCannotBeRecordedDoesNotRun(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        try FileManager.default.createDirectory(atPath: host.deployTo + "/.deployer/irreversible.jsonl", withIntermediateDirectories: true)
        let script = HostScripts.tasks(deployTo: host.deployTo, release: Self.release, phase: .afterSwitch, tasks: [
            ScriptTask(name: "migrate", command: "touch migrated", irreversible: true),
        ])
        let result = try await host.run(script, shell: shell)
        #expect(result.status == 1)
        #expect(result.markers == ["failed record irreversible migrate 1"])
        #expect(!FileManager.default.fileExists(atPath: host.releaseDir + "/migrated"))
    }

    /// A check at the end of prepare leaves its answer in the release; the task's script then skips
    /// the task when nothing was pending, runs it when work was; any other status fails the check.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func checksLeaveTheirAnswerForTheTasksScript(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        let artifact = try await Self.emptyArtifact(in: host.deployTo)
        func prepare(_ check: String) -> ShellScript {
            let tasks: [Phase: [ScriptTask]] = [.beforeSwitch: [
                ScriptTask(name: "migrate", command: "touch migrated", check: check),
                ScriptTask(name: "guarded", command: "false", creates: "REVISION", check: "touch asked"),
            ]]
            return HostScripts.prepare(deployTo: host.deployTo, HostScripts.PrepareInput(
                release: Self.release, digest: artifact, shared: SharedPaths(dirs: [], files: []), envs: [], tasks: [],
                markerJSON: "{}", revision: "4f1c2e9", checks: tasks))
        }
        func prepared(_ check: String) async throws -> (status: Int32, markers: [String], stderr: String) {
            try await host.run(prepare(check), shell: shell)
        }
        func beforeSwitch() async throws -> [String] {
            try await host.run(HostScripts.tasks(deployTo: host.deployTo, release: Self.release, phase: .beforeSwitch, tasks: [
                ScriptTask(name: "migrate", command: "touch migrated", check: "unused here"),
            ]), shell: shell).markers
        }

        let pending = try await prepared(#"printf 'pending 1\npending 2\n'; exit 1"#)
        #expect(pending.status == 0, "\(pending.stderr)")
        #expect(Array(pending.markers.suffix(4)) == ["check-output migrate pending 1", "check-output migrate pending 2",
                                                     "check before_switch migrate 1", "prepared \(Self.release)"])
        #expect(!FileManager.default.fileExists(atPath: host.releaseDir + "/asked"), "a check whose task is skipped is not asked")
        #expect(try await beforeSwitch() == ["task-start before_switch migrate", "task-end before_switch migrate 0"])

        let nothing = try await prepared("exit 0")
        #expect(nothing.markers.suffix(2) == ["check before_switch migrate 0", "prepared \(Self.release)"])
        #expect(try await beforeSwitch() == ["task-skip before_switch migrate check: nothing pending"])

        let failed = try await prepared("echo broken; exit 7")
        #expect(failed.status == 7)
        // The failure names the check as the script records its command: a failure report shows it.
        let failure = try #require(failed.markers.last)
        #expect(failure.hasPrefix("failed the check of task 'migrate' (") && failure.hasSuffix(" 7"), "\(failure)")
        #expect(prepare("echo broken; exit 7").commands[String(failure.dropFirst("failed ".count).dropLast(" 7".count))]
                    == "echo broken; exit 7")
        #expect(failed.stderr.hasPrefix("broken\n"))
        #expect(try await beforeSwitch() == ["task-start before_switch migrate", "task-end before_switch migrate 0"])
    }

    /// `deployer task`: the log's last `taskOutputLines` lines come back as markers, with a note of
    /// how many earlier ones stay in the host's log (an unended last line counts: `wc -l` said 3 here);
    /// a failure prints no second copy.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func aTaskRunOnDemandSendsItsLogsTailBack(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        let task = ScriptTask(name: "report", command: "seq 1 1003; printf 'no newline'; exit 2")
        let result = try await host.run(HostScripts.onDemandTask(deployTo: host.deployTo, release: Self.release,
                                                                 phase: .afterSwitch, task: task), shell: shell)
        #expect(result.status == 2)
        #expect(result.markers.first == "task-start after_switch report")
        #expect(result.markers.dropFirst().first == "task-output (4 earlier lines are in .deployer/tasks/report.log on the host)")
        #expect(result.markers.dropFirst(2).first == "task-output 5")
        #expect(Array(result.markers.suffix(4)) == ["task-output 1003", "task-output no newline",
                                                    "task-end after_switch report 2", "failed report 2"])
        let markerCount = result.markers.count
        #expect(markerCount == 1004, "task-start, the note, 1,000 lines, task-end, failed")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(try host.read(".deployer/tasks/report.log").hasSuffix("1003\nno newline"))
    }

    /// on_failure tasks run in deploy_to when the release was never extracted, their logs in .deployer/on_failure.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func onFailureTasksRunInDeployToWithoutTheRelease(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        let missing = ReleaseID(rawValue: "20261203T130000Z-0000000")
        let result = try await host.run(HostScripts.failureTasks(deployTo: host.deployTo, release: missing, tasks: [
            ScriptTask(name: "notify", command: "pwd -P"),
        ]), shell: shell)
        #expect(result.status == 0)
        #expect(result.markers == ["task-start on_failure notify", "task-end on_failure notify 0"])
        let deployTo = try await ProcessRunner.run("/bin/sh", ["-c", "cd \"$0\" && pwd -P", host.deployTo])
        #expect(try host.read(".deployer/on_failure/notify.log") == String(decoding: deployTo.stdout, as: UTF8.self))
    }

    /// `plan --run-guards`: a check is asked in the release `current` points at, its output going nowhere.
    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func thePlanProbeAsksChecksInTheCurrentRelease(shell: String) async throws {
        let host = try Host()
        defer { host.remove() }
        let checks: [Phase: [ScriptTask]] = [.beforeSwitch: [
            ScriptTask(name: "migrate", command: "false", check: "echo noise; test -e pending && exit 1; exit 0"),
            ScriptTask(name: "guarded", command: "false", creates: "'\(host.deployTo)/releases'", check: "exit 1"),
        ]]
        let probe = HostScripts.planProbe(deployTo: host.deployTo, tasks: [], checks: checks)
        #expect(try await host.run(probe, shell: shell).markers.filter { $0.hasPrefix("check ") }.isEmpty, "no current release")
        try FileManager.default.createSymbolicLink(atPath: host.deployTo + "/current", withDestinationPath: "releases/\(Self.release)")
        try "".write(toFile: host.releaseDir + "/pending", atomically: true, encoding: .utf8)
        let asked = try await host.run(probe, shell: shell)
        #expect(asked.status == 0)
        #expect(asked.markers.filter { $0.hasPrefix("check") } == ["check before_switch migrate 1"])
    }

    /// An artifact of one empty directory in `deployTo`'s store, by its SHA-256.
    static func emptyArtifact(in deployTo: String) async throws -> String {
        let made = try await ProcessRunner.run("/bin/sh", ["-c", """
            set -e; mkdir -p "$0/.deployer/artifacts" "$0/empty"; tar -czf "$0/a.tar.gz" -C "$0/empty" .
            digest=$(sha256sum <"$0/a.tar.gz"); digest=${digest%% *}; mv "$0/a.tar.gz" "$0/.deployer/artifacts/$digest.tar.gz"
            printf %s "$digest"
            """, deployTo])
        #expect(made.status == 0)
        return String(decoding: made.stdout, as: UTF8.self)
    }
}
