import DeployerModel

extension Executor {
    /// How a run whose switch phase ended as `rollout` did is summed up: its
    /// result, and a message that says which batch failed, what was switched
    /// back, what never switched, and which host runs which release.
    /// `success` is the message when every host switched.
    func conclude(_ rollout: RolloutResult, success: String) -> (RunSummary.Result, String) {
        var lines: [String] = []
        if !rollout.failures.isEmpty { lines.append(Executor.describe(rollout.failures)) }
        let lastBatch = "batch \(rollout.batchesRun.count)/\(rollout.batchCount)"
        let budget = "max_failures \(rollout.budget)"
        let never = rollout.neverSwitched.isEmpty ? ""
            : "; later batches never switched (" + rollout.neverSwitched.joined(separator: ", ") + ")"
        let failedHosts = rollout.failures.map(\.host).joined(separator: ", ")
        let firstDeploys = rollout.batchesRun.joined().filter { (rollout.before[$0] ?? nil) == nil }
        var result: RunSummary.Result = rollout.failures.contains { $0.unreachable } ? .unreachable : .failed
        switch rollout.ending {
        case .completed where rollout.failures.isEmpty:
            let stop = control.stopReason.map { "\nstopped by \($0) during the last batch, which was completed" } ?? ""
            return (control.stopReason == nil ? .succeeded : .interrupted, success + stop)
        case .completed:
            lines.append("every batch ran; \(failedHosts) failed, within \(budget)")
        case .rolledBack:
            lines.append("\(lastBatch) brought the failures to \(rollout.failures.count), more than \(budget): "
                + "the hosts of batches 1–\(rollout.batchesRun.count) were switched back to the release they ran before"
                + (firstDeploys.isEmpty ? "" : " (" + firstDeploys.joined(separator: ", ") + " had none: no release now)") + never)
        case .halted:
            lines.append("halted after \(lastBatch) (on_failure: halt): \(rollout.failures.count) failed, more than "
                + "\(budget); the fleet is left split" + never)
        case let .stopped(reason):
            result = .interrupted
            lines.append("stopped by \(reason) after \(lastBatch)" + never)
        }
        if !rollout.revertFailures.isEmpty {
            lines.append(Executor.describe(rollout.revertFailures))
            lines.append("switching back failed on " + rollout.revertFailures.map(\.host).joined(separator: ", "))
        }
        var landing = Executor.describeCurrents(rollout.currents, hosts: hostNames.filter { !rollout.unknown.contains($0) })
        for host in hostNames where rollout.unknown.contains(host) {
            landing += "; \(host): unknown (lost during its batch; last seen on "
                + ((rollout.currents[host] ?? nil)?.rawValue ?? "no release") + ")"
        }
        lines.append("now: " + landing)
        return (result, lines.joined(separator: "\n"))
    }

    /// Each host's state after a rollout: hosts lost mid-batch are not known.
    func hostStates(_ rollout: RolloutResult, locksReleased: Set<String>) -> [RunSummary.HostState] {
        hostNames.map { RunSummary.HostState(host: $0, current: rollout.currents[$0] ?? nil, known: !rollout.unknown.contains($0),
                                             lockReleased: locksReleased.contains($0)) }
    }
}
