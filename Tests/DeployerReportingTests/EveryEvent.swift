import DeployerModel

/// At least one event of every case, with every optional field both set and
/// nil somewhere, and `text` in every string: the masking and schema tests
/// run over all of them.
enum EveryEvent {
    static func all(containing text: String) -> [DeployEvent] {
        let id = ReleaseID(rawValue: "20261129T034500Z-\(text)")
        let lease = LockLease(origin: RunOrigin(who: "ana@\(text)", ciJobURL: "https://ci/\(text)",
                                                command: "deployer push \(text)", runID: "run-\(text)",
                                                message: "hotfix \(text)"),
                              since: "2026-11-29T03:00:00Z \(text)", ttlSeconds: 60)
        var summary = RunSummary(action: .push, result: .failed, release: id, message: "failed: \(text)",
                                 hosts: [.init(host: "h-\(text)", current: id, known: false, lockReleased: false),
                                         .init(host: "h2", current: nil, known: true, lockReleased: true)],
                                 seconds: 1.5)
        summary.skippedTasks = [SkippedTask(task: "migrate-\(text)", phase: .beforeSwitch, hosts: ["h-\(text)", "h2"],
                                            reason: "check: nothing pending \(text)")]
        let host = "h-\(text)"
        return [
            .runStarted(action: .push, environment: "env-\(text)", runID: "run-\(text)", hosts: [host, "h2"]),
            .artifactReady(revision: "rev-\(text)", digest: "digest-\(text)", bytes: 1234),
            .buildStepStarted(step: "assets-\(text)", command: "npm run build \(text)"),
            .buildOutput(step: "assets-\(text)", line: "built \(text)"),
            .buildStepFinished(step: "assets-\(text)", seconds: 1.25, exitStatus: 0),
            .buildStepFinished(step: "assets-\(text)", seconds: 60, exitStatus: 124),
            .buildReused(digest: "digest-\(text)", steps: ["assets-\(text)", "wheels"]),
            .releaseChosen(release: id, revision: "rev-\(text)"),
            .hostConnected(host: host, seconds: 0.25),
            .hostUnreachable(host: host, message: "refused \(text)"),
            .hostWarning(host: host, message: "history not appended \(text)"),
            .probed(host: host, current: id),
            .probed(host: host, current: nil),
            .stepStarted(host: host, step: .prepare),
            .stepFinished(host: host, step: .prepare, seconds: 1, outcome: .succeeded),
            .stepFinished(host: host, step: .upload, seconds: 0, outcome: .skipped(reason: "cached \(text)")),
            .stepFinished(host: host, step: .prepare, seconds: 2, outcome: .failed(
                task: "task-\(text)", exitStatus: 3, message: "message \(text)", stderrTail: ["tail \(text)", "end"])),
            .stepFinished(host: host, step: .switch, seconds: 2, outcome: .failed(
                task: nil, exitStatus: nil, message: "lost \(text)", stderrTail: [])),
            .taskStarted(host: host, task: "task-\(text)", phase: .beforeSwitch),
            .taskStarted(host: host, task: "task-\(text)", phase: .afterSwitch, command: "run \(text)"),
            .stepFinished(host: host, step: .switch, seconds: 2, outcome: .failed(
                task: "task-\(text)", exitStatus: 1, message: "", stderrTail: ["tail \(text)"], command: "run \(text)")),
            .taskFinished(host: host, task: "task-\(text)", phase: .afterSwitch, seconds: 0.5, exitStatus: 0),
            .taskSkipped(host: host, task: "task-\(text)", phase: .afterRollback, reason: "reason \(text)"),
            .taskChecked(host: host, task: "task-\(text)", phase: .beforeSwitch, pending: true, output: ["pending \(text)"]),
            .taskChecked(host: host, task: "task-\(text)", phase: .afterFleet, pending: false, output: []),
            .envReady(host: host, name: "env-\(text)", directory: "/srv/\(text)", reused: true),
            .lockAcquired(host: host),
            .lockRefused(host: host, holder: lease, heartbeatAgeSeconds: 90, stale: true),
            .lockRefused(host: host, holder: nil, heartbeatAgeSeconds: nil, stale: false),
            .lockBroken(host: host, previousHolder: lease),
            .lockBroken(host: host, previousHolder: nil),
            .lockReleased(host: host),
            .switched(host: host, from: id, to: id, kind: .push),
            .switched(host: host, from: nil, to: id, kind: .revert),
            .alreadyCurrent(release: id),
            .batchStarted(index: 1, count: 3, hosts: [host, "h2"], canary: true, kind: .push),
            .batchFinished(index: 1, count: 3, hosts: [host, "h2"], failed: [host], kind: .revert),
            .batchFinished(index: 2, count: 3, hosts: ["h2", host], failed: [], kind: .rollback),
            .hookFinished(host: host, hook: .drain, seconds: 0.1, exitStatus: 0),
            .hookFinished(host: host, hook: .undrain, seconds: 0.2, exitStatus: 7),
            .hookFinished(host: host, hook: .drain, seconds: 0.1, exitStatus: 0, on: .controller),
            .hookFinished(host: host, hook: .undrain, seconds: 0.2, exitStatus: 3,
                          on: .host(HostAddress(name: "lb-\(text)", user: nil, host: "lb-\(text)", port: nil))),
            .healthChecked(host: host, attempt: 1, attempts: 3, ok: false, output: ["refused \(text)"]),
            .healthChecked(host: host, attempt: 2, attempts: 3, ok: true, output: []),
            .pruned(host: host, kind: .release, name: "20261129T034500Z-\(text)"),
            .pruned(host: host, kind: .env, name: "venv-\(text)"),
            .pruned(host: host, kind: .artifact, name: "ab12\(text)"),
            .interruptRequested(signal: "SIG\(text)"),
            .commandOutput(host: host, stream: .stdout, line: "out \(text)"),
            .commandOutput(host: host, stream: .stderr, line: "err \(text)"),
            .commandOutput(host: host, stream: .combined, line: "log \(text)"),
            .diagnostic(.error("unknown key 'rols' \(text)", at: SourceLocation(file: "deploy-\(text).yml", line: 14, column: 7),
                               note: "note \(text)", fixIt: "roles")),
            .diagnostic(Diagnostic(.warning, "cannot write \(text)")),
            .notified(event: .failed, hook: "url at deploy-\(text).yml:3:5", ok: false, message: "timed out \(text)"),
            .notified(event: .started, hook: "command at deploy-\(text).yml:3:5", ok: true, message: ""),
            .summary(summary),
            .summary(RunSummary(action: .plan, result: .planStale, release: nil, message: "stale \(text)", hosts: [],
                                seconds: 0)),
        ]
    }

    /// A number per case, by an exhaustive switch: a new case does not compile
    /// here until it has a number, and `coversEveryCase` then wants it in `all`.
    static func caseNumber(_ event: DeployEvent) -> Int {
        switch event {
        case .runStarted: 0
        case .artifactReady: 1
        case .releaseChosen: 2
        case .hostConnected: 3
        case .hostUnreachable: 4
        case .probed: 5
        case .stepStarted: 6
        case .stepFinished: 7
        case .taskStarted: 8
        case .taskFinished: 9
        case .taskSkipped: 10
        case .envReady: 11
        case .lockAcquired: 12
        case .lockRefused: 13
        case .lockBroken: 14
        case .lockReleased: 15
        case .switched: 16
        case .alreadyCurrent: 17
        case .interruptRequested: 18
        case .summary: 19
        case .batchStarted: 20
        case .batchFinished: 21
        case .hookFinished: 22
        case .healthChecked: 23
        case .hostWarning: 24
        case .diagnostic: 25
        case .pruned: 26
        case .commandOutput: 27
        case .notified: 28
        case .buildStepStarted: 29
        case .buildOutput: 30
        case .buildStepFinished: 31
        case .buildReused: 32
        case .taskChecked: 33
        }
    }

    static let caseCount = 34
}
