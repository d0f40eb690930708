import Foundation
import Testing

extension FaultBench {
    /// Starts `deployer ARGUMENTS` (over the sandbox's transport) and runs `whileRunning`; kills the run if that throws.
    func start(_ arguments: [String], in app: FaultApp, whileRunning: () async throws -> Void) async throws -> DeployerProcess {
        let process = try sandbox.start(arguments, in: app.path)
        do {
            try await whileRunning()
        } catch {
            process.killHard()
            _ = await process.wait()
            throw error
        }
        return process
    }

    /// Runs `deployer ARGUMENTS` with each armed fault injected when its hook at `phase` is reached
    /// (at connect: before the run starts).
    func run(_ arguments: [String], in app: FaultApp, injectingAt phase: FaultPhase) async throws -> RunReport {
        if phase == .connect { try await injectWhenReached(phase) }
        let process = try await start(arguments, in: app) {
            if phase != .connect { try await injectWhenReached(phase) }
        }
        return RunReport(await process.wait())
    }

    /// The known state a cell starts from: a token in every host's `shared/.env` (before the first push,
    /// which needs it), `app` pushed (twice for a rollback, so it has a target), that token changed, an old release to prune for `finish`, and for a push a
    /// new revision committed. Returns the first release and every host's state.
    func prepare(_ phase: FaultPhase, _ app: FaultApp) async throws -> (first: String, before: [String: HostState]) {
        for host in sandbox.hosts {
            try await sandbox.root(host, "mkdir -p \(Self.deployTo)/shared && printf 'TOKEN=%s\\n' \(host) >\(Self.deployTo)/shared/.env "
                + "&& chown -R deploy: \(Self.deployTo)")
        }
        let first = try await sandbox.deployer(["push", "staging"], in: app.path)
        try #require(first.status == 0, "\(first.output)")
        let firstRelease = try #require(try await sandbox.current("host1"))
        try await app.newRevision("2")
        if [.rollback, .finish].contains(phase) {
            let second = try await sandbox.deployer(["push", "staging"], in: app.path)
            try #require(second.status == 0, "\(second.output)")
            try await app.newRevision("3")
        }
        for host in sandbox.hosts {
            try await sandbox.root(host, "printf 'TOKEN=%s\\n' \(host) >\(Self.deployTo)/shared/.env")
        }
        return (firstRelease, try await states())
    }

    /// Every host's state.
    func states() async throws -> [String: HostState] {
        try await withThrowingTaskGroup(of: (String, HostState).self) { group in
            for host in sandbox.hosts { group.addTask { (host, try await HostState.read(host, in: sandbox)) } }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    /// What must hold on `host` after a run that met faults, whatever they were.
    func expectHeld(_ state: HostState, before: HostState, host: String, after report: RunReport,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(state.current != nil && state.currentIsComplete,
                "\(host): current (\(state.current ?? "none")) is not a complete release\n\(report.run.output)",
                sourceLocation: sourceLocation)
        #expect(state.shared == before.shared, "\(host): shared/ changed\n\(state.shared)", sourceLocation: sourceLocation)
        if state.locked {
            #expect(report.saysLockKept(on: host), "\(host) is still locked and the run did not say so\n\(report.run.output)",
                    sourceLocation: sourceLocation)
        }
        let recorded = state.lastHistory?.runID == report.runID
        if report.changedNothing {
            #expect(!recorded, "\(host): a run that changed nothing is in history", sourceLocation: sourceLocation)
        } else if let history = state.lastHistory, recorded {
            #expect(["push", "rollback"].contains(history.action) && ["failed", "interrupted", "succeeded"].contains(history.result),
                    "\(host): \(history)", sourceLocation: sourceLocation)
        } else {
            #expect(report.saysLockKept(on: host),
                    "\(host): history does not record the run, and the run did not say it could not finish there\n\(report.run.output)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Runs `deployer ARGUMENTS` once the faults are gone: it succeeds, every host runs the same
    /// complete release, unlocked, with the run in its history (unless it had nothing to do, or the
    /// host had already finished that release: a push leaves those alone) and `shared/` as it was.
    /// A push run again then changes nothing.
    func expectRecovery(_ arguments: [String], in app: FaultApp, before: [String: HostState],
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let faulted = try await states()
        let report = RunReport(try await sandbox.deployer(arguments, in: app.path))
        #expect(report.status == 0, "recovery: \(report.run.output)", sourceLocation: sourceLocation)
        let states = try await states()
        let release = states["host1"]?.current
        for host in sandbox.hosts {
            let state = states[host]!
            #expect(state.current == release && state.currentIsComplete, "\(host): \(state)", sourceLocation: sourceLocation)
            #expect(!state.locked, "\(host) is still locked", sourceLocation: sourceLocation)
            // A host on which the faulted run finished this release (switched, after_switch tasks and health check
            // passed, finish step done) is left alone: the others join it. One it switched and did not finish is redone.
            let finishedBefore = arguments.first == "push" && faulted[host]?.current == release
                && faulted[host]?.finished == release
            if !report.run.output.contains("already at") && !finishedBefore {
                #expect(state.lastHistory?.runID == report.runID && state.lastHistory?.result == "succeeded",
                        "\(host): \(String(describing: state.lastHistory))", sourceLocation: sourceLocation)
            }
            #expect(state.shared == before[host]!.shared, "\(host): shared/ changed", sourceLocation: sourceLocation)
        }
        if arguments.first == "push" {
            let again = try await sandbox.deployer(arguments, in: app.path)
            #expect(again.status == 0 && again.output.contains("already at \(release ?? "?")"), "\(again.output)",
                    sourceLocation: sourceLocation)
        }
    }
}
