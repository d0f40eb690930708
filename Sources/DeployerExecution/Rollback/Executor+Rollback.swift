import DeployerModel
import DeployerPlanning

extension Executor {
    /// Switches every host back to an earlier release that is present,
    /// complete and not failed on every host (checked under the lock before
    /// any switch), then runs after_switch and after_rollback tasks. What it does is
    /// the `RollbackPlan` the planner makes from the facts read under the lock, the value
    /// `deployer plan --rollback` prints from a read-only probe.
    public func rollback(_ request: RollbackRequest) async -> RunSummary {
        await reportedRun(.rollback, runID: request.origin.runID) { connections in
            await rollbackSteps(request, connections: connections)
        }
    }

    private func rollbackSteps(_ request: RollbackRequest, connections: HostConnections) async -> RunSummary {
        let facts: [String: HostFacts]
        do throws(RunEnded) {
            facts = try await connectAndLock(.rollback, origin: request.origin, connections: connections)
        } catch {
            return error.summary
        }
        let heartbeat = startHeartbeat(runID: request.origin.runID, connections: connections)
        defer { heartbeat.cancel() }
        for (host, hostFacts) in facts { reporter.report(.probed(host: host, current: hostFacts.current)) }

        // The rollback executes the plan `deployer plan --rollback` prints, made here from the facts read under the lock.
        let plan = RollbackPlanner.plan(environment: environment.name, hostOrder: hostNames, facts: facts,
                                        requested: request.target, pastIrreversible: request.pastIrreversible)
        let target: ReleaseID
        switch (plan.decision, plan.targetRelease) {
        case let (.rollBack, chosen?): target = chosen
        case let (.alreadyCurrent, chosen?):
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            reporter.report(.alreadyCurrent(release: chosen))
            return summary(.rollback, .alreadyCurrent, chosen, "already at \(chosen) on every host; nothing changed",
                           facts: facts)
        default:
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.rollback, plan.decision == .pastIrreversible ? .usage : .failed, nil,
                           (plan.refusal ?? "no rollback") + "\nnothing was changed on any host", facts: facts)
        }
        let pastIrreversible = plan.irreversible
        if let stop = control.stopReason {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.rollback, .interrupted, nil, "stopped by \(stop) before any switch; nothing changed",
                           facts: facts)
        }
        let revision = facts.values.lazy.compactMap { $0.release(target)?.marker?.revision }.first ?? ""
        let rollout: Rollout
        do {
            // A failing rollback halts: it never switches hosts back to the release being left.
            // Hosts already on the target (those a halted push never reached) are left alone.
            rollout = try makeRollout(to: target, kind: .rollback, runID: request.origin.runID, facts: facts, onFailure: .halt,
                                      hosts: plan.switchingHosts)
        } catch {
            await releaseLocks(hostNames, runID: request.origin.runID, connections: connections)
            return summary(.rollback, .usage, nil, "\(error)\nnothing was changed on any host", facts: facts)
        }
        let outcome = await rollOut(rollout, connections: connections)
        let failures = outcome.failures
        let landed = outcome.currents
        let finished = await releaseLocks(on: environment.hosts, step: .finish, connections: connections) { host in
            var record = HistoryRecord(action: .rollback, result: failures.isEmpty ? .succeeded : .failed,
                                       release: landed[host.name] ?? nil, previous: facts[host.name]?.current,
                                       revision: revision, origin: request.origin, at: Executor.isoNow(),
                                       detail: failures.first?.description)
            record.irreversible = pastIrreversible.isEmpty ? nil : pastIrreversible
            return HostScripts.finish(deployTo: environment.deployTo, HostScripts.FinishInput(
                markFailed: nil, historyLine: Executor.jsonLine(record), prune: [], pruneCaches: false,
                runID: request.origin.runID, finished: outcome.finished[host.name]))
        }
        let (result, message) = conclude(outcome, of: rollout, success: "rolled back: every host runs \(target)")
        let past = pastIrreversible.isEmpty ? ""
            : "\nwent past irreversible work (--past-irreversible): " + pastIrreversible.map(\.sentence).joined(separator: "; ")
        return RunSummary(action: .rollback, result: result, release: target,
                          message: message + past + finished.note,
                          hosts: hostStates(outcome, locksReleased: finished.released), seconds: 0)
    }
}
