import DeployerModel
import DeployerPlanning

extension Executor {
    /// Renders the rollout of `release` (after_switch, plus after_rollback for a rollback) and the way back.
    func makeRollout(to release: ReleaseID, kind: SwitchKind, runID: String, facts: [String: HostFacts],
                     onFailure: RollingPolicy.OnFailure, hosts switching: [String]? = nil)
        throws(TaskRenderer.UndefinedName) -> Rollout {
        func revision(of id: ReleaseID) -> String {
            facts.values.lazy.compactMap { $0.release(id)?.marker?.revision }.first ?? ""
        }
        func scripts(to id: ReleaseID, hosts: [FleetHost], kind: SwitchKind)
            throws(TaskRenderer.UndefinedName) -> [String: RolloutScript] {
            let renderer = TaskRenderer(environment: environment, release: id, revision: revision(of: id))
            let work = try HostWork.render(renderer, artifact: nil)
            var scripts: [String: RolloutScript] = [:]
            for host in hosts {
                let hostWork = work[host.name]!
                let tasks: [(phase: Phase, tasks: [ScriptTask])] = kind == .push
                    ? [(.afterSwitch, hostWork.afterSwitch)]
                    : [(.afterSwitch, hostWork.afterSwitch), (.afterRollback, hostWork.afterRollback)]
                scripts[host.name] = try renderer.rolloutScript(for: host, kind: kind, runID: runID, tasks: tasks)
            }
            return scripts
        }
        let previous = Dictionary(uniqueKeysWithValues: hostNames.map { ($0, facts[$0]?.current) })
        var back: [String: RolloutScript] = [:]
        for id in Set(previous.values.compactMap { $0 }) {
            let hosts = environment.hosts.filter { previous[$0.name] == id }
            back.merge(try scripts(to: id, hosts: hosts, kind: .revert)) { first, _ in first }
        }
        let forward = try scripts(to: release, hosts: environment.hosts, kind: kind)
        for host in environment.hosts where facts[host.name] != nil && (previous[host.name] ?? nil) == nil {
            // A first deploy: what the host ran before is no release at all.
            back[host.name] = RolloutScript(release: nil, kind: .revert, runID: runID, drain: forward[host.name]?.drain,
                                            tasks: [], health: nil, undrain: nil)
        }
        return Rollout(release: release, kind: kind, runID: runID, hosts: switching ?? hostNames, forward: forward,
                       back: back, previous: previous, onFailure: onFailure)
    }

    /// Switches the fleet in the batches of `rolling` (DESIGN.md, "A push, in
    /// phases", step 3): per batch drain, switch, tasks, health check,
    /// undrain on each of its hosts; a pause between batches. When failures
    /// exceed `max_failures`, no later batch starts: with `rollback` the hosts
    /// of the batches run are switched back in reverse batch order, with
    /// `halt` the fleet stays split. A stop request ends the rollout between batches.
    func rollOut(_ rollout: Rollout, connections: HostConnections) async -> RolloutResult {
        let policy = environment.rolling
        let batches = policy.batches(of: rollout.hosts)
        var result = RolloutResult(currents: rollout.previous)
        result.batchCount = batches.count
        result.budget = policy.failureBudget(hostCount: rollout.hosts.count)
        var switched: Set<String> = [], drained: Set<String> = []
        let hooks = HookRunner(environment: environment, connector: connector, reporter: reporter, secrets: secrets,
                               steps: connections.steps)
        for (offset, batch) in batches.enumerated() {
            if offset > 0, let stop = await pause(policy.pauseSeconds, steps: connections.steps) {
                result.ending = .stopped(stop)
                break
            }
            reporter.report(.batchStarted(index: offset + 1, count: batches.count, hosts: batch,
                                          canary: offset == 0 && (policy.canary ?? 0) > 0, kind: rollout.kind))
            let outcomes = await switchHosts(batch.map(host(named:)), kind: rollout.kind, step: .switch,
                                             script: { rollout.forward[$0]! }, connections: connections, hooks: hooks)
            var failed: [String] = []
            for name in batch {
                guard let outcome = outcomes[name] else { continue }
                if outcome.switched {
                    switched.insert(name)
                    result.currents[name] = rollout.release
                }
                result.finished[name] = outcome.switched && outcome.failure == nil ? rollout.release : nil
                if outcome.drained { drained.insert(name) }
                if let failure = outcome.failure {
                    failed.append(name)
                    result.failures.append(failure)
                    if failure.unreachable && !outcome.switched { result.unknown.insert(name) }
                }
            }
            result.batchesRun.append(batch)
            reporter.report(.batchFinished(index: offset + 1, count: batches.count, hosts: batch, failed: failed,
                                           kind: rollout.kind))
            if result.failures.count > result.budget {
                result.ending = rollout.onFailure == .rollback ? .rolledBack : .halted
                break
            }
        }
        result.neverSwitched = Array(batches.dropFirst(result.batchesRun.count).joined())
        if result.ending == .rolledBack {
            await switchBack(rollout, &result, touched: switched, drained: drained, connections: connections, hooks: hooks)
        }
        await hooks.close()
        return result
    }

    /// Switches the hosts of the batches run back to what they ran before, last batch first.
    private func switchBack(_ rollout: Rollout, _ result: inout RolloutResult, touched: Set<String>,
                            drained: Set<String>, connections: HostConnections, hooks: HookRunner) async {
        for (offset, batch) in result.batchesRun.enumerated().reversed() {
            let hosts = batch.filter { (touched.contains($0) || result.unknown.contains($0)) && rollout.back[$0] != nil }
            guard !hosts.isEmpty else { continue }
            reporter.report(.batchStarted(index: offset + 1, count: result.batchCount, hosts: hosts, canary: false,
                                          kind: .revert))
            let outcomes = await switchHosts(hosts.map(host(named:)), kind: .revert, step: .revert, script: { name in
                var script = rollout.back[name]!
                if drained.contains(name) { script.drain = nil }
                return script
            }, connections: connections, hooks: hooks)
            var failed: [String] = []
            for name in hosts {
                guard let outcome = outcomes[name] else { continue }
                if outcome.switched {
                    result.currents[name] = rollout.previous[name] ?? nil
                    result.unknown.remove(name)
                }
                result.finished[name] = outcome.failure == nil ? rollout.previous[name] ?? nil : nil
                if let failure = outcome.failure {
                    failed.append(name)
                    result.revertFailures.append(failure)
                }
            }
            reporter.report(.batchFinished(index: offset + 1, count: result.batchCount, hosts: hosts, failed: failed,
                                           kind: .revert))
        }
    }

    /// Waits `seconds` between batches; the reason when a stop was requested before or during the wait.
    /// The wait counts as a step for the heartbeat (`steps`): a run that pauses is getting on.
    private func pause(_ seconds: Double, steps: StepWatch) async -> String? {
        let watched = steps.begin("the pause between batches", deadline: StepDeadline(seconds: seconds + StepDeadline.scriptSeconds))
        defer { steps.end(watched) }
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while control.stopReason == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(100), ContinuousClock.now.duration(to: deadline)))
        }
        return control.stopReason
    }
}
