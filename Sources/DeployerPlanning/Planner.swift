import DeployerModel

/// Decides what a push would do on every host, from the resolved environment,
/// the artifact's identity and what a read-only probe found (or nothing,
/// offline). Pure: the same inputs give the same `Plan`. It is the only
/// maker of a push's decisions (`PushDecision`, `ReleaseID.unused`,
/// `PrunePlan`, where tasks run through `TaskGraph`): `deployer plan` prints
/// its plan from a read-only probe, and a push executes its plan from the
/// facts read under the lock (`Executor.pushPlan`); only task guards are
/// left to the hosts at push.
public struct Planner: Sendable {
    public var environment: ResolvedEnvironment
    /// The full commit (or a `dir:` source's name) of the artifact.
    public var revision: String
    /// SHA-256 of the artifact.
    public var digest: String
    /// Each dependency environment's key, from the artifact's key files.
    public var envKeys: [String: EnvKey]
    /// The controller's time for the release id.
    public var unixTime: Int
    /// `--force`: a new release even when the same one is current everywhere.
    public var force: Bool
    public var keepFailedReleases: Int
    public var lockTTLSeconds: Int
    /// What the environment's hosts outside a `--hosts`/`--roles` limit run (those that could be probed).
    public var peers: [HostFacts] = []
    /// The number of hosts of the whole environment when `environment` is limited to some of them.
    public var fleetHosts: Int?
    /// The id the release must have (`push --release`), instead of one chosen from `unixTime`; a join
    /// of another release is then no join.
    public var requestedRelease: ReleaseID?

    public init(environment: ResolvedEnvironment, revision: String, digest: String, envKeys: [String: EnvKey],
                unixTime: Int, force: Bool = false, keepFailedReleases: Int = 3, lockTTLSeconds: Int = 300) {
        self.environment = environment; self.revision = revision; self.digest = digest; self.envKeys = envKeys
        self.unixTime = unixTime; self.force = force; self.keepFailedReleases = keepFailedReleases
        self.lockTTLSeconds = lockTTLSeconds
    }

    /// The plan for these probes by host name; `nil` means offline (no host contacted).
    public func plan(probes: [String: HostProbe]?) -> Plan {
        let names = environment.hosts.map(\.name)
        var reached: [String: (facts: HostFacts, guards: [String: GuardResult])] = [:]
        var blockers: [String] = []
        for name in names {
            switch probes?[name] {
            case let .reached(facts, guards)?:
                reached[name] = (facts, guards)
                if let lock = facts.lock { blockers.append("\(name) is locked by \(describe(lock)) (a push would exit 3)") }
            case let .unreachable(message)?:
                blockers.append("\(name) is unreachable: \(message) (a push would exit 4)")
            case nil:
                break
            }
        }
        let facts = names.compactMap { reached[$0]?.facts }
        var release = requestedRelease ?? ReleaseID.unused(unixTime: unixTime, revision: revision, facts: facts)
        var decision: Plan.Decision
        // The hosts a push would work on: a join leaves those already running its release alone.
        var working = self
        if probes == nil || facts.count < names.count {
            decision = .unknown
        } else {
            switch Planner.pushDecision(environment: environment, revision: revision, force: force, facts: facts,
                                        peers: peers) {
            case .alreadyCurrent: decision = .alreadyCurrent
            case let .join(joined, joinedDigest) where joinedDigest == digest && (requestedRelease ?? joined) == joined:
                decision = .join
                release = joined
                working.environment.hosts = environment.hosts.filter {
                    PushDecision.needsRelease(reached[$0.name]?.facts, joined)
                }
            case .join, .newRelease: decision = .newRelease
            }
        }
        let currents = Set(facts.compactMap(\.current))
        let graph = TaskGraph(working.environment)
        let hosts = environment.hosts.map { host -> PlannedHost in
            let roles = host.roles
            switch probes?[host.name] {
            case nil:
                return PlannedHost(name: host.name, roles: roles, change: .unknown,
                                   steps: steps(for: host, facts: nil, guards: [:], graph: graph))
            case let .unreachable(message)?:
                return PlannedHost(name: host.name, roles: roles, change: .unknown, unreachable: message,
                                   steps: steps(for: host, facts: nil, guards: [:], graph: graph))
            case let .reached(hostFacts, guards)?:
                let lock = hostFacts.lock.map(describe)
                let recorded = planFacts(for: host, facts: hostFacts, guards: guards)
                if decision == .alreadyCurrent || (decision == .join && hostFacts.runsFinished(release)) {
                    return PlannedHost(name: host.name, roles: roles, change: .unchanged,
                                       current: hostFacts.current?.rawValue, lock: lock, prune: [], facts: recorded)
                }
                let prune = PrunePlan.releasesToDelete(afterPushing: release, on: hostFacts,
                                                       keepReleases: environment.keepReleases,
                                                       keepFailed: keepFailedReleases, fleetCurrents: currents)
                return PlannedHost(name: host.name, roles: roles, change: decision == .unknown ? .unknown : .newRelease,
                                   current: hostFacts.current?.rawValue, lock: lock,
                                   steps: working.steps(for: host, facts: hostFacts, guards: guards, graph: graph,
                                                        joining: decision == .join ? release : nil),
                                   prune: prune.map(\.rawValue), facts: recorded)
            }
        }
        return Plan(app: environment.app, environment: environment.name, fingerprint: environment.fingerprint,
                    revision: revision, digest: digest, release: release.rawValue, unixTime: unixTime,
                    offline: probes == nil, decision: decision, blockers: blockers, hosts: hosts,
                    batches: environment.rolling.batches(of: working.environment.hosts.map(\.name)),
                    rollout: PlannedRollout(environment: environment), fleetHosts: fleetHosts,
                    maxParallel: Planner.maxParallel(of: working.environment))
    }

    /// The release every host already runs when a push of `revision` would change nothing
    /// (`PushDecision.alreadyCurrent`), nil otherwise or when a host's facts are missing. Asked
    /// before the artifact is built, as its digest plays no part in it: a no-op push does not wait
    /// for the artifact. `plan(probes:)` decides the same from the same facts.
    public static func releaseAlreadyCurrent(environment: ResolvedEnvironment, revision: String, force: Bool,
                                             facts: [String: HostFacts]) -> ReleaseID? {
        let known = environment.hosts.compactMap { facts[$0.name] }
        guard known.count == environment.hosts.count,
              case let .alreadyCurrent(release) = pushDecision(environment: environment, revision: revision,
                                                               force: force, facts: known, peers: []) else { return nil }
        return release
    }

    /// The one place a push's no-op, join or new release is decided.
    private static func pushDecision(environment: ResolvedEnvironment, revision: String, force: Bool,
                                     facts: [HostFacts], peers: [HostFacts]) -> PushDecision {
        PushDecision.decide(facts: facts, peers: peers, revision: revision, fingerprint: environment.fingerprint,
                            releaseFingerprint: environment.releaseFingerprint, force: force)
    }

    /// Upload, environments and tasks of one host, in the order a push runs them (tasks placed by
    /// `graph`, the task graph of the hosts the push works on); `facts` nil when not probed.
    /// A push `joining` a release the host already has complete keeps it (`HostFacts.keepsRelease`):
    /// nothing of prepare runs, nor before_switch where the host already switched to it.
    func steps(for host: FleetHost, facts: HostFacts?, guards: [String: GuardResult], graph: TaskGraph,
               joining: ReleaseID? = nil) -> [PlannedStep] {
        let notProbed = "host not probed"
        var steps: [PlannedStep] = []
        let kept = joining.flatMap { release in
            facts?.keepsRelease(release, digest: digest) == true ? "release \(release) is already complete here: kept as it is" : nil
        }
        let switchedTo = joining.flatMap { facts?.current == $0 ? $0 : nil }
        if let kept {
            steps.append(PlannedStep(phase: nil, name: PlannedHost.uploadStep, action: .skip, reason: kept))
        } else if let facts {
            steps.append(facts.artifacts.contains(digest)
                ? PlannedStep(phase: nil, name: PlannedHost.uploadStep, action: .skip,
                              reason: "host already has artifact \(digest.prefix(12))")
                : PlannedStep(phase: nil, name: PlannedHost.uploadStep, action: .run))
        } else {
            steps.append(PlannedStep(phase: nil, name: PlannedHost.uploadStep, action: .unknown, reason: notProbed))
        }
        for env in environment.dependencyEnvs {
            guard let key = envKeys[env.name] else { continue }
            let name = "env:" + env.name
            if let kept {
                steps.append(PlannedStep(phase: .prepare, name: name, action: .skip, reason: kept))
                continue
            }
            switch facts?.envs.contains(key.directoryName) {
            case true?:
                steps.append(PlannedStep(phase: .prepare, name: name, action: .skip,
                                         reason: "env cache hit: envs/\(key.directoryName) is present"))
            case false?:
                steps.append(PlannedStep(phase: .prepare, name: name, action: .run,
                                         reason: "build envs/\(key.directoryName)"))
            case nil:
                steps.append(PlannedStep(phase: .prepare, name: name, action: .unknown, reason: notProbed))
            }
        }
        for phase in TaskGraph.pushPhases {
            for task in graph.tasks(on: host.name, in: phase) {
                if let kept, phase == .prepare {
                    steps.append(PlannedStep(phase: phase, name: task.name, action: .skip, reason: kept))
                    continue
                }
                if let switchedTo, phase == .beforeSwitch {
                    steps.append(PlannedStep(phase: phase, name: task.name, action: .skip,
                                             reason: "ran before this host switched to \(switchedTo)"))
                    continue
                }
                // A check answers for the new release at the end of prepare: the plan says what it could ask instead.
                let check = task.check.map { _ in
                    PlannedStep(phase: phase, name: task.name, action: .unknown,
                                reason: guards[GuardResult.checkKey(phase: phase, task: task.name)]?.reason
                                    ?? (facts == nil ? notProbed : Planner.checkDecidedAtPush))
                }
                guard task.creates != nil || task.unless != nil || task.onlyIf != nil else {
                    steps.append(check ?? PlannedStep(phase: phase, name: task.name, action: .run))
                    continue
                }
                let result = guards[GuardResult.key(phase: phase, task: task.name)]
                switch result?.holds {
                case true?: steps.append(PlannedStep(phase: phase, name: task.name, action: .skip, reason: result?.reason))
                case false?: steps.append(check ?? PlannedStep(phase: phase, name: task.name, action: .run,
                                                               reason: "no guard holds"))
                case nil: steps.append(PlannedStep(phase: phase, name: task.name, action: .unknown,
                                                   reason: result?.reason ?? (facts == nil ? notProbed : "guard not evaluated")))
                }
            }
        }
        for task in graph.tasks(on: host.name, in: .onFailure) {
            steps.append(PlannedStep(phase: .onFailure, name: task.name, action: .skip, reason: "runs only if the push fails"))
        }
        return steps
    }

    /// Why a plan made without `--run-guards` leaves a task with a `check` to the push.
    public static let checkDecidedAtPush = "decided at push: its check runs in the new release at the end of prepare "
        + "(plan --run-guards asks the current release)"

    /// What the decisions for `host` depended on, for a saved plan's drift check.
    func planFacts(for host: FleetHost, facts: HostFacts, guards: [String: GuardResult]) -> PlanFacts {
        var envs: [String: Bool] = [:]
        for env in environment.dependencyEnvs {
            guard let key = envKeys[env.name] else { continue }
            envs[key.directoryName] = facts.envs.contains(key.directoryName)
        }
        return PlanFacts(current: facts.current?.rawValue,
                         releases: facts.releases.map { $0.id.rawValue + " " + $0.state.rawValue },
                         lock: facts.lock.map { $0.lease.map { "\($0.origin.who) (run \($0.origin.runID))" } ?? "an unreadable lease" },
                         hasArtifact: facts.artifacts.contains(digest), envs: envs, guards: guards)
    }

    private func describe(_ lock: LockState) -> String {
        let holder = lock.lease.map { "\($0.origin.who) since \($0.since)" } ?? "an unreadable lease"
        return holder + (lock.isStale(defaultTTL: lockTTLSeconds)
            ? ", stale (\(lock.heartbeatAgeSeconds) s without a heartbeat; --break-stale-lock takes it over)" : "")
    }
}
