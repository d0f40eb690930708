import DeployerModel

extension Executor {
    /// How a run whose switch phase (`rollout`) ended as `outcome` is summed up: its
    /// result, and a message that says which batch failed, what was switched
    /// back, what never switched, and which host runs which release.
    /// `success` is the message when every host switched.
    func conclude(_ outcome: RolloutResult, of rollout: Rollout, success: String) -> (RunSummary.Result, String) {
        var lines: [String] = []
        if !outcome.failures.isEmpty { lines.append(Executor.describe(outcome.failures)) }
        let lastBatch = "batch \(outcome.batchesRun.count)/\(outcome.batchCount)"
        let budget = "max_failures \(outcome.budget)"
        let never = outcome.neverSwitched.isEmpty ? ""
            : "; later batches never switched (" + outcome.neverSwitched.joined(separator: ", ") + ")"
        let failedHosts = outcome.failures.map(\.host).joined(separator: ", ")
        let firstDeploys = outcome.batchesRun.joined().filter { (rollout.previous[$0] ?? nil) == nil }
        var result: RunSummary.Result = outcome.failures.contains { $0.unreachable } ? .unreachable : .failed
        switch outcome.ending {
        case .completed where outcome.failures.isEmpty:
            let stop = control.stopReason.map { "\nstopped by \($0) during the last batch, which was completed" } ?? ""
            return (control.stopReason == nil ? .succeeded : .interrupted, success + stop)
        case .completed:
            lines.append("every batch ran; \(failedHosts) failed, within \(budget)")
        case .rolledBack:
            lines.append("\(lastBatch) brought the failures to \(outcome.failures.count), more than \(budget): "
                + "the hosts of batches 1–\(outcome.batchesRun.count) were switched back to the release they ran before"
                + (firstDeploys.isEmpty ? "" : " (" + firstDeploys.joined(separator: ", ") + " had none: no release now)") + never)
        case .halted:
            lines.append("halted after \(lastBatch) (on_failure: halt): \(outcome.failures.count) failed, more than "
                + "\(budget); the fleet is left split" + never)
        case let .stopped(reason):
            result = .interrupted
            lines.append("stopped by \(reason) after \(lastBatch)" + never)
        }
        if !outcome.revertFailures.isEmpty {
            lines.append(Executor.describe(outcome.revertFailures))
            lines.append("switching back failed on " + outcome.revertFailures.map(\.host).joined(separator: ", "))
        }
        var landing = Executor.describeCurrents(outcome.currents, hosts: hostNames.filter { !outcome.unknown.contains($0) })
        for host in hostNames where outcome.unknown.contains(host) {
            landing += "; \(host): unknown (lost during its batch; last seen on "
                + ((outcome.currents[host] ?? nil)?.rawValue ?? "no release") + ")"
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
