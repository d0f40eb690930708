import ArgumentParser
import DeployerExecution
import DeployerPlanning
import Foundation

extension PlanMaker {
    /// Re-probes the hosts and makes the plan again for the saved plan's
    /// revision and release id; returns the artifact to push when nothing the
    /// saved plan depended on changed, else refuses (exit 5) saying what drifted, host by host.
    /// An offline plan saw no host and cannot be applied (exit 2).
    /// The guards are probed as the saved plan was made (`run_guards`), so a
    /// step decided at push then is decided at push now, not drift.
    func verify(_ saved: Plan, commit: String?) async throws -> Artifact {
        guard !saved.offline else {
            throw RunRefusal(result: .usage, message: "the saved plan was made --offline: it depended on no host fact, "
                + "so it cannot be checked; make it again without --offline")
        }
        let (now, artifact) = try await make(commit: commit, unixTime: saved.unixTime, offline: false,
                                             runGuards: saved.runGuards == true)
        let drift = saved.drift(to: now)
        guard drift.isEmpty else {
            throw RunRefusal(result: .planStale, message: "the saved plan no longer matches; nothing was changed:\n"
                + drift.map { "  " + $0 + "\n" }.joined()
                + "make a new plan (deployer plan \(saved.environment) --out FILE) and review it")
        }
        return artifact
    }
}
