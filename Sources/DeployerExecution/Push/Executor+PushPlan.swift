import DeployerModel
import DeployerPlanning

extension Executor {
    /// The planner of a push of `artifact`: the one `deployer plan` asks with a read-only probe's
    /// facts and the one a push asks with the facts read under its lock (`pushPlan`), so the plan
    /// printed and the plan executed are made by the same decisions from the same inputs.
    /// `peers`: what the hosts outside a `--hosts`/`--roles` limit run (`probeOutsideLimit`).
    public func planner(for artifact: Artifact, unixTime: Int, force: Bool = false, peers: [HostFacts],
                        release: ReleaseID? = nil) -> Planner {
        var planner = Planner(environment: environment, revision: artifact.revision, digest: artifact.digest,
                              envKeys: artifact.envKeys, unixTime: unixTime, force: force,
                              keepFailedReleases: options.keepFailedReleases, lockTTLSeconds: options.lockTTLSeconds)
        planner.peers = peers
        planner.fleetHosts = limit?.fleet.count
        planner.requestedRelease = release
        return planner
    }

    /// The plan a push executes: `planner`'s plan from each host's facts, those of the hosts this
    /// run locked as read under the lock (`locked`; its own lock is no obstacle), the others as
    /// probed before (`probed`; a join leaves them unlocked). Guards are not probed: the hosts
    /// evaluate them when the tasks run.
    public static func pushPlan(_ planner: Planner, probed: [String: HostFacts], locked: [String: HostFacts]) -> Plan {
        var facts = probed
        for (host, lockedFacts) in locked {
            var unlocked = lockedFacts
            unlocked.lock = nil
            facts[host] = unlocked
        }
        return planner.plan(probes: facts.mapValues { .reached($0, guards: [:]) })
    }
}
