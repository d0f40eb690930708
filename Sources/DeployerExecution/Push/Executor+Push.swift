import DeployerModel
import DeployerPlanning

extension Executor {
    /// Pushes a release to every host (DESIGN.md, "A push, in phases"):
    /// probe, lock, prepare everywhere, before_switch, switch, finish.
    /// If anything fails before the switch, no host switches.
    /// The summary lists the tasks a `check:` skipped for nothing pending (`NothingPendingWatch`).
    public func push(_ request: PushRequest) async -> RunSummary {
        let watch = NothingPendingWatch(reporter: reporter)
        var watched = self
        watched.reporter = watch
        return await watched.reportedRun(.push, runID: request.origin.runID) { connections in
            var summary = await watched.pushSteps(request, connections: connections)
            summary.skippedTasks = watch.skippedTasks(hostOrder: hostNames)
            return summary
        }
    }

    private func pushSteps(_ request: PushRequest, connections: HostConnections) async -> RunSummary {
        var request = request
        if let cache = request.buildCache, environment.tasks.contains(where: \.local) {
            // The build steps run before any host is touched (a step's host_probe only reads), so a failed
            // build changes nothing anywhere.
            do {
                let built = try await buildOnController(try await request.artifact.value, cache: cache, connections: connections)
                request.artifact = Task { built }
            } catch let failure as BuildFailure {
                return summary(.push, failure.runResult, nil, failure.message, facts: [:])
            } catch {
                return summary(.push, .usage, nil, "\(error)\nnothing was changed on any host", facts: [:])
            }
        }
        let revision: String
        do {
            if let known = request.revision {
                revision = known
            } else {
                revision = try await request.artifact.value.revision
            }
        } catch {
            return summary(.push, .usage, nil, "\(error)\nnothing was changed on any host", facts: [:])
        }
        if let unconnected = await connectAll(connections: connections) {
            return summary(.push, .unreachable, nil, unconnected, facts: [:])
        }
        if let check = request.hostProbeCheck, let refusal = await hostProbeRefusal(check, connections: connections) {
            request.artifact.cancel()
            return summary(.push, refusal.result, nil, refusal.message, facts: [:])
        }
        // One round trip decides a no-op: the first host takes the lock unless it already runs this
        // revision and recipe, while the others are probed.
        let leader = environment.hosts[0]
        let leaderScript = lockScript(origin: request.origin,
                                      unlessCurrent: request.force ? nil : (revision, environment.fingerprint))
        async let leaderAttempt = lockHost(leader, script: leaderScript, connections: connections, uploadFollows: true)
        async let peerFacts = probeOutsideLimit()
        let probed = await probeAll(Array(environment.hosts.dropFirst()), connections: connections)
        let first = await leaderAttempt
        let peers = await peerFacts
        var facts = probed.compactMapValues { try? $0.get() }
        facts[leader.name] = first.facts
        if let leaderFacts = first.facts { reporter.report(.probed(host: leader.name, current: leaderFacts.current)) }
        var failures = probed.values.compactMap { if case let .failure(f) = $0 { f } else { nil } }
        if case let .failure(failure) = first.outcome { failures.insert(failure, at: 0) }
        if !failures.isEmpty {
            if case .success(.acquired) = first.outcome {
                await releaseLocks([leader.name], runID: request.origin.runID, connections: connections)
            }
            // Unreachable only when a host was: a lock script that failed on a reachable host is a host failure (exit 1).
            return summary(.push, failures.contains(where: \.unreachable) ? .unreachable : .failed, nil,
                           Executor.describe(failures) + "\nnothing was changed on any host",
                           facts: facts)
        }
        // A no-op needs no artifact: when every host already runs this revision and recipe, stop here.
        // A saved plan that expected changes goes on to be checked under the lock.
        if case .success(.skipped) = first.outcome, request.plan.map({ $0.decision == .alreadyCurrent }) ?? true,
           let release = Planner.releaseAlreadyCurrent(environment: environment, revision: revision,
                                                       force: request.force, facts: facts) {
            request.artifact.cancel()
            return alreadyCurrent(release, facts: facts)
        }
        let artifact: Artifact
        do {
            artifact = try await request.artifact.value
        } catch {
            if case .success(.acquired) = first.outcome {
                await releaseLocks([leader.name], runID: request.origin.runID, connections: connections)
            }
            return summary(.push, .usage, nil, "\(error)\nnothing was changed on any host", facts: facts)
        }
        reporter.report(.artifactReady(revision: artifact.revision, digest: artifact.digest, bytes: artifact.bytes))

        let planner = planner(for: artifact, unixTime: request.unixTime, force: request.force, peers: peers,
                              release: request.release)
        // The hosts to lock: those the plan from the facts probed so far would change (a join leaves
        // the hosts already running its release alone). The plan executed is made again under the lock.
        let probedPlan = Executor.pushPlan(planner, probed: facts, locked: [:])
        let changing = Set(probedPlan.changingHosts)
        let locking = probedPlan.decision == .join ? environment.hosts.filter { changing.contains($0.name) } : environment.hosts
        // The first host's lock was taken only if it does not run the release (`lockScript(unlessCurrent:)`).
        var leaderLocked: LockAttempt?
        if case .success(.acquired) = first.outcome {
            if locking.first?.name == leader.name {
                leaderLocked = first
            } else {
                await releaseLocks([leader.name], runID: request.origin.runID, connections: connections)
            }
        }
        return await lockAndPush(request, planner: planner, artifact: artifact, locking: locking,
                                 leaderLocked: leaderLocked, facts: facts, connections: connections)
    }

    /// Locks `locking`, asks `planner` for the plan from the facts read under the lock and executes it:
    /// prepares, switches and finishes its release on the hosts it changes. Refuses (exit 5) when that
    /// plan is not a saved plan's (`push --plan`), or needs a host this run did not lock (the hosts
    /// changed while it waited for the lock).
    private func lockAndPush(_ request: PushRequest, planner: Planner, artifact: Artifact, locking: [FleetHost],
                             leaderLocked: LockAttempt?, facts: [String: HostFacts],
                             connections: HostConnections) async -> RunSummary {
        var lockingExecutor = self
        lockingExecutor.environment.hosts = locking
        let locked: [String: HostFacts]
        switch await lockingExecutor.acquireFleetLock(origin: request.origin, connections: connections,
                                                      leaderLocked: leaderLocked, uploadFollows: true) {
        case let .acquired(lockedFacts): locked = lockedFacts
        case let .held(message): return summary(.push, .lockHeld, nil, message, facts: facts)
        case let .failed(failures, release):
            return summary(.push, failures.contains(where: \.unreachable) ? .unreachable : .failed, nil,
                           Executor.describe(failures) + "\nnothing was changed on any host" + release.note, facts: facts)
        case .stopped: return summary(.push, .interrupted, nil, "stopped while waiting for the lock", facts: facts)
        }
        let lockedNames = locking.map(\.name)
        // Another run may have shipped this very revision and recipe while this one waited for the lock
        // (`--lock-wait`): the plan is made from what the hosts run now.
        let plan = Executor.pushPlan(planner, probed: facts, locked: locked)
        var known = facts
        known.merge(locked) { _, underLock in underLock }
        if let saved = request.plan, case let drift = saved.executionDrift(to: plan), !drift.isEmpty {
            await releaseLocks(lockedNames, runID: request.origin.runID, connections: connections)
            return summary(.push, .planStale, nil, "the saved plan no longer matches the hosts under the lock; "
                + "nothing was changed:\n" + drift.map { "  " + $0 }.joined(separator: "\n"), facts: known)
        }
        if plan.decision == .alreadyCurrent, let release = plan.hosts.first?.current.map(ReleaseID.init(rawValue:)) {
            await releaseLocks(lockedNames, runID: request.origin.runID, connections: connections)
            return alreadyCurrent(release, facts: known)
        }
        let changing = plan.hosts.filter { $0.change != .unchanged }.map(\.name)
        let unlocked = changing.filter { !lockedNames.contains($0) }
        if !unlocked.isEmpty {
            await releaseLocks(lockedNames, runID: request.origin.runID, connections: connections)
            return summary(.push, .planStale, nil, "the hosts changed while this push waited for the lock: "
                + unlocked.joined(separator: ", ") + " no longer run the release the push was to join; "
                + "nothing was changed; push again", facts: known)
        }
        let idle = lockedNames.filter { !changing.contains($0) }
        if !idle.isEmpty { await releaseLocks(idle, runID: request.origin.runID, connections: connections) }
        var working = self
        working.environment.hosts = environment.hosts.filter { changing.contains($0.name) }
        var summary = await working.execute(plan, request: request, artifact: artifact,
                                            facts: locked.filter { changing.contains($0.key) }, connections: connections)
        let left = plan.hosts.filter { $0.change == .unchanged }.map(\.name)
        guard !left.isEmpty else { return summary }
        let release = ReleaseID(rawValue: plan.release)
        summary.hosts = hostNames.map { name in
            summary.hosts.first { $0.host == name }
                ?? RunSummary.HostState(host: name, current: release, known: true, lockReleased: true)
        }
        summary.message = left.joined(separator: ", ") + (left.count == 1 ? " already runs " : " already run ")
            + "\(release): left alone (no new release, no restart)\n" + summary.message
        return summary
    }

    /// Executes `plan` on this executor's hosts (those it changes, locked): makes its release,
    /// prepares it everywhere, then switches and finishes.
    private func execute(_ plan: Plan, request: PushRequest, artifact: Artifact, facts locked: [String: HostFacts],
                         connections: HostConnections) async -> RunSummary {
        let heartbeat = startHeartbeat(runID: request.origin.runID, connections: connections)
        defer { heartbeat.cancel() }

        let revision = artifact.revision
        let release = ReleaseID(rawValue: plan.release)
        reporter.report(.releaseChosen(release: release, revision: revision))
        let work: [String: HostWork]
        do {
            work = try HostWork.render(TaskRenderer(environment: environment, release: release, revision: revision),
                                       artifact: artifact)
        } catch {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.push, .usage, nil, "\(error)\nnothing was changed on any host", facts: locked)
        }
        let marker = ReleaseMarker(release: release, revision: revision, digest: artifact.digest,
                                   fingerprint: environment.fingerprint,
                                   releaseFingerprint: environment.releaseFingerprint, bytes: artifact.bytes,
                                   createdAt: Executor.isoNow(), createdBy: request.origin.who,
                                   revisionTime: artifact.revisionTime)
        let watch = IrreversibleWatch(release: release, tasks: Set(environment.tasks.filter(\.irreversible).map(\.name)),
                                      reporter: reporter)
        var attempt = PushAttempt(release: release, artifact: artifact, origin: request.origin, facts: locked,
                                  plan: Dictionary(uniqueKeysWithValues: plan.hosts.map { ($0.name, $0) }),
                                  work: work, marker: marker, irreversible: watch)
        var watched = self
        watched.reporter = watch

        let prepared = await watched.prepareAll(attempt, connections: connections)
        if let abandoned = await watched.abandonIfNeeded(attempt, failures: prepared, phase: "prepare", connections: connections) {
            return abandoned
        }
        if request.prepareOnly {
            attempt.historyAction = .prepare
            return await watched.keepPrepared(attempt, connections: connections)
        }
        if request.maintenance {
            // After prepare (the upload and the builds run with the site up), before the before_switch tasks
            // (migrations), until the finish; off again whatever happens (`finishAll`).
            attempt.maintenanceOn = true
            let state = MaintenanceState(since: Executor.isoNow(), by: request.origin.who, runID: request.origin.runID)
            let failures = await watched.setMaintenance(state, facts: locked, connections: connections)
            if let abandoned = await watched.abandonIfNeeded(attempt, failures: failures, phase: "maintenance on",
                                                             connections: connections) {
                return abandoned
            }
        }
        let beforeSwitch = await watched.beforeSwitchAll(attempt, connections: connections)
        if let abandoned = await watched.abandonIfNeeded(attempt, failures: beforeSwitch, phase: "before_switch",
                                                         connections: connections) {
            return abandoned
        }
        return await watched.switchAndFinish(attempt, connections: connections)
    }

    private func alreadyCurrent(_ release: ReleaseID, facts: [String: HostFacts]) -> RunSummary {
        reporter.report(.alreadyCurrent(release: release))
        return summary(.push, .alreadyCurrent, release, "already at \(release) on every host; nothing changed "
            + "(use --force for a new release)", facts: facts)
    }

    /// Read-only probe of `hosts` (reports what each runs now).
    func probeAll(_ hosts: [FleetHost], connections: HostConnections) async
        -> [String: Result<HostFacts, HostFailure>] {
        let script = HostScripts.probe(deployTo: environment.deployTo)
        return await eachHost(hosts) { host in
            switch await run(script, on: host, step: .probe, connections: connections) {
            case let .success(run):
                let facts = HostFacts(markers: run.markers)
                reporter.report(.probed(host: host.name, current: facts.current))
                return .success(facts)
            case let .failure(failure): return .failure(failure)
            }
        }
    }

    /// Runs the prepare script on every host, with the artifact streamed ahead of it where the
    /// host lacks it (one command: the upload costs no round trip of its own). A host that already
    /// has the release complete (a joined release it runs unfinished, or was given before its
    /// switch) keeps it as it is: never rebuilt, least of all under `current`.
    private func prepareAll(_ attempt: PushAttempt, connections: HostConnections) async -> [HostFailure] {
        let results = await eachHost(environment.hosts, running: { attempt.work[$0.name]!.prepare }) { host -> HostFailure? in
            if let reason = control.stopReason {
                reporter.report(.stepFinished(host: host.name, step: .prepare, seconds: 0,
                                              outcome: .skipped(reason: "stop requested (\(reason))")))
                return nil
            }
            if let kept = attempt.keptReleaseReason(on: host.name) {
                for step in [DeployStep.upload, .prepare] {
                    reporter.report(.stepFinished(host: host.name, step: step, seconds: 0, outcome: .skipped(reason: kept)))
                }
                return nil
            }
            let digest = attempt.artifact.digest
            let receives = attempt.plan[host.name]?.receivesArtifact != false
            let work = attempt.work[host.name]!
            let script = HostScripts.prepare(deployTo: environment.deployTo, HostScripts.PrepareInput(
                release: attempt.release, digest: digest, shared: environment.shared,
                envs: work.envs, tasks: work.prepare, markerJSON: Executor.jsonLine(attempt.marker),
                receivesArtifact: receives, revision: attempt.marker.revision, revisionTime: attempt.marker.revisionTime,
                checks: work.checks))
            // The upload step lasts until the script says the artifact arrived (`MarkerCollector`), then prepare runs.
            reporter.report(receives ? .stepStarted(host: host.name, step: .upload)
                : .stepFinished(host: host.name, step: .upload, seconds: 0,
                                outcome: .skipped(reason: "host already has artifact \(digest.prefix(12))")))
            if !receives { reporter.report(.stepStarted(host: host.name, step: .prepare)) }
            let start = ContinuousClock.now
            var failure: HostFailure?
            // An env the host has already is reused, not built: its build takes no time.
            let builds = work.envs.filter { attempt.facts[host.name]?.envs.contains($0.key.directoryName) != true }
            let deadline = StepDeadline.prepare(artifactBytes: attempt.artifact.bytes, envs: builds,
                                                tasks: work.prepare + work.checks.values.joined())
            switch await outcome(of: script, on: host, step: .prepare, connections: connections,
                                 sending: receives ? (attempt.artifact.path, attempt.artifact.bytes) : nil, deadline: deadline) {
            case let .success(run) where !run.markers.contains(.prepared(attempt.release)):
                // Only a stream cut short (the artifact shorter than its size) ends the script this way.
                failure = HostFailure(host: host.name, step: .prepare, message: "the prepare script ended early")
            case .success: failure = nil
            case let .failure(failed): failure = failed
            }
            if receives, failure?.markers.contains(.uploaded) == false { failure?.step = .upload }
            reportFinished(failure?.step ?? .prepare, on: host, since: start,
                           failure.map { Result<Void, HostFailure>.failure($0) } ?? .success(()))
            return failure
        }
        return hostNames.compactMap { results[$0] ?? nil }
    }

    /// before_switch tasks on the hosts that have any (`once` tasks on one host of their roles), but
    /// not on hosts already switched to the release (they ran them before their switch).
    func beforeSwitchAll(_ attempt: PushAttempt, connections: HostConnections) async -> [HostFailure] {
        let hosts = environment.hosts.filter {
            !(attempt.work[$0.name]?.beforeSwitch.isEmpty ?? true) && attempt.facts[$0.name]?.current != attempt.release
        }
        if hosts.isEmpty || control.stopReason != nil { return [] }
        let results = await eachHost(hosts, running: { attempt.work[$0.name]!.beforeSwitch }) { host -> HostFailure? in
            let tasks = attempt.work[host.name]!.beforeSwitch
            let script = HostScripts.tasks(deployTo: environment.deployTo, release: attempt.release,
                                           phase: .beforeSwitch, tasks: tasks)
            if case let .failure(failure) = await run(script, on: host, step: .beforeSwitch, connections: connections,
                                                      deadline: .commands(tasks.map(\.timeoutSeconds))) {
                return failure
            }
            return nil
        }
        return hostNames.compactMap { results[$0] ?? nil }
    }

    /// after_fleet tasks on the hosts that have any, when `fleetSwitched` (every host switched and passed
    /// its health check) and no stop was requested; otherwise each is reported skipped, saying why.
    private func afterFleetAll(_ attempt: PushAttempt, fleetSwitched: Bool, connections: HostConnections) async -> [HostFailure] {
        let hosts = environment.hosts.filter { !(attempt.work[$0.name]?.afterFleet.isEmpty ?? true) }
        if hosts.isEmpty { return [] }
        if !fleetSwitched || control.stopReason != nil {
            let reason = fleetSwitched ? "stop requested (\(control.stopReason ?? ""))"
                : "not every host switched and passed its health check"
            for host in hosts {
                for task in attempt.work[host.name]!.afterFleet {
                    reporter.report(.taskSkipped(host: host.name, task: task.name, phase: .afterFleet, reason: reason))
                }
            }
            return []
        }
        let results = await eachHost(hosts, running: { attempt.work[$0.name]!.afterFleet }) { host -> HostFailure? in
            let tasks = attempt.work[host.name]!.afterFleet
            let script = HostScripts.tasks(deployTo: environment.deployTo, release: attempt.release,
                                           phase: .afterFleet, tasks: tasks)
            if case let .failure(failure) = await run(script, on: host, step: .afterFleet, connections: connections,
                                                      deadline: .commands(tasks.map(\.timeoutSeconds))) {
                return failure
            }
            return nil
        }
        return hostNames.compactMap { results[$0] ?? nil }
    }

    /// When a phase failed somewhere or a stop was requested: no host switches,
    /// the attempt is marked failed, history records it and locks are released.
    func abandonIfNeeded(_ attempt: PushAttempt, failures: [HostFailure], phase: String,
                                 connections: HostConnections) async -> RunSummary? {
        let stop = control.stopReason
        guard !failures.isEmpty || stop != nil else { return nil }
        let reason = stop.map { "interrupted (\($0)) during \(phase)" }
            ?? failures.map(\.description).first ?? "\(phase) failed"
        let failureNote = await runFailureTasks(attempt, phase: phase, failures: failures, connections: connections)
        let finished = await finishAll(attempt, result: stop == nil ? .failed : .interrupted, detail: reason,
                                       markFailed: true, prune: false, connections: connections)
        let everyCurrent = Set(hostNames.map { attempt.facts[$0]?.current })
        let landing = everyCurrent.count == 1
            ? (everyCurrent.first!.map { "every host still runs \($0)" } ?? "no host has a current release")
            : "every host still runs the release it ran before"
        var message = (failures.isEmpty ? "" : Executor.describe(failures) + "\n")
        if failures.contains(where: { $0.message.hasPrefix(HostScripts.missingSharedFiles) }) {
            message += "put each missing file on the hosts that lack it with `deployer shared \(environment.name) put PATH "
                + "--from FILE` (PATH relative to shared/), then push again\n"
        }
        if let stop { message += "stopped by \(stop) during \(phase); " }
        message += "no host switched: \(landing); release \(attempt.release) is marked failed"
        message += failureNote + finished.note
        let result: RunSummary.Result = stop != nil ? .interrupted : (failures.contains { $0.unreachable } ? .unreachable : .failed)
        return summary(.push, result, attempt.release, message, facts: attempt.facts, locksReleased: finished.released)
    }

    /// Switches the fleet in rolling batches (see `rollOut`), then finishes:
    /// a rolled-back attempt is marked failed; only a clean rollout prunes.
    func switchAndFinish(_ attempt: PushAttempt, connections: HostConnections) async -> RunSummary {
        let rollout: Rollout
        do {
            rollout = try makeRollout(to: attempt.release, kind: .push, runID: attempt.origin.runID, facts: attempt.facts,
                                      onFailure: environment.rolling.onFailure)
        } catch {
            let finished = await finishAll(attempt, result: .failed, detail: "\(error)", markFailed: true, prune: false,
                                           connections: connections)
            return summary(.push, .usage, attempt.release, "\(error)\nno host switched; release \(attempt.release) is marked failed"
                + finished.note, facts: attempt.facts, locksReleased: finished.released)
        }
        let outcome = await rollOut(rollout, connections: connections)
        let switchedEverywhere = outcome.ending == .completed && outcome.failures.isEmpty
        let afterFleet = await afterFleetAll(attempt, fleetSwitched: switchedEverywhere, connections: connections)
        let clean = switchedEverywhere && afterFleet.isEmpty
        let history: HistoryRecord.Result = if case .stopped = outcome.ending { .interrupted } else { clean ? .succeeded : .failed }
        let failureNote = outcome.failures.isEmpty ? ""
            : await runFailureTasks(attempt, phase: "switch", failures: outcome.failures, connections: connections)
        let finished = await finishAll(attempt, result: history, detail: (outcome.failures + afterFleet).first?.description,
                                       markFailed: outcome.ending == .rolledBack, prune: clean, finished: outcome.finished,
                                       connections: connections)
        var (result, message) = conclude(outcome, of: rollout, success: "every host runs \(attempt.release) "
            + "(\(attempt.artifact.revision.prefix(12)))")
        if !afterFleet.isEmpty {
            result = afterFleet.contains(where: \.unreachable) ? .unreachable : .failed
            message = Executor.describe(afterFleet) + "\n" + message + "; after_fleet failed: the hosts stay on "
                + "\(attempt.release) (after_fleet is never rolled back); fix the task and run it again by hand"
        }
        return RunSummary(action: .push, result: result, release: attempt.release,
                          message: message + failureNote + finished.note,
                          hosts: hostStates(outcome, locksReleased: finished.released), seconds: 0)
    }

    /// Records history, marks a failed attempt, records the hosts whose rollout `finished`, prunes, unlocks;
    /// where the lock was released, and why not elsewhere.
    func finishAll(_ attempt: PushAttempt, result: HistoryRecord.Result, detail: String?, markFailed: Bool,
                           prune: Bool, finished: [String: ReleaseID] = [:], connections: HostConnections) async -> LockRelease {
        var maintenanceNote = ""
        if attempt.maintenanceOn {
            let failures = await setMaintenance(nil, facts: attempt.facts, connections: connections)
            if !failures.isEmpty {
                maintenanceNote = "\nmaintenance mode could not be turned off on " + failures.map(\.host).joined(separator: ", ")
                    + ": run `deployer maintenance \(environment.name) off`"
            }
        }
        let irreversible = attempt.irreversible.runs
        var record = HistoryRecord(action: attempt.historyAction, result: result, release: attempt.release, revision: attempt.artifact.revision,
                                   digest: attempt.artifact.digest, fingerprint: environment.fingerprint,
                                   origin: attempt.origin, at: Executor.isoNow(), detail: detail)
        record.irreversible = irreversible.isEmpty ? nil : irreversible
        record.maintenance = attempt.maintenanceOn ? true : nil
        let history = record
        var release = await releaseLocks(on: environment.hosts, step: .finish, connections: connections) { host in
            var hostHistory = history
            hostHistory.previous = attempt.facts[host.name]?.current
            let pruned = prune ? attempt.plan[host.name]?.releasesToPrune ?? [] : []
            return HostScripts.finish(deployTo: environment.deployTo, HostScripts.FinishInput(
                markFailed: markFailed ? (attempt.release, detail ?? "failed") : nil,
                historyLine: Executor.jsonLine(hostHistory), prune: pruned, pruneCaches: prune, runID: attempt.origin.runID,
                finished: finished[host.name], irreversible: irreversible))
        }
        release.unfinished = maintenanceNote
        return release
    }
}
