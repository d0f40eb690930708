import DeployerModel
import DeployerPlanning

extension Executor {
    /// Ends a `push --prepare-only` once every host has prepared its release: nothing switches; the
    /// release is kept, each host's history records it as prepared, and the lock is released.
    /// `deployer switch ENV RELEASE` switches to it later (once every shard of the fleet prepared it).
    func keepPrepared(_ attempt: PushAttempt, connections: HostConnections) async -> RunSummary {
        let finished = await finishAll(attempt, result: .succeeded, detail: "prepared; nothing switched", markFailed: false,
                                       prune: false, connections: connections)
        let message = "release \(attempt.release) (\(attempt.artifact.revision.prefix(12))) prepared on "
            + (hostNames.count == 1 ? hostNames[0] : "every host (\(hostNames.count))")
            + "; nothing switched: each host still runs what it ran\n"
            + "switch to it with `deployer switch \(environment.name) \(attempt.release)` once every host of the fleet has it"
        return summary(.push, finished.failures.isEmpty ? .succeeded : .failed, attempt.release, message + finished.note,
                       facts: attempt.facts, locksReleased: finished.released)
    }
}
