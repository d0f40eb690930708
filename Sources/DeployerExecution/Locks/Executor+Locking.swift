import DeployerModel
import DeployerPlanning
import Foundation

extension Executor {
    /// Connects every host and takes the fleet lock, as each run that changes hosts does first, and
    /// returns the facts read under the lock; a host out of reach, a lock held by another run or not
    /// taken, or a stop ends the run with a summary that says `untouched`.
    func connectAndLock(_ action: RunAction, origin: RunOrigin, connections: HostConnections,
                        untouched: String = "nothing was changed on any host") async throws(RunEnded) -> [String: HostFacts] {
        if let unconnected = await connectAll(connections: connections) {
            throw RunEnded(summary: summary(action, .unreachable, nil, unconnected, facts: [:]))
        }
        switch await acquireFleetLock(origin: origin, connections: connections) {
        case let .acquired(facts): return facts
        case let .held(message): throw RunEnded(summary: summary(action, .lockHeld, nil, message, facts: [:]))
        case let .failed(failures, release):
            throw RunEnded(summary: summary(action, failures.contains(where: \.unreachable) ? .unreachable : .failed, nil,
                                            Executor.describe(failures) + "\n" + untouched + release.note, facts: [:]))
        case .stopped: throw RunEnded(summary: summary(action, .interrupted, nil, "stopped while waiting for the lock", facts: [:]))
        }
    }

    /// Takes the lock on the first host, then on all others in parallel, so
    /// that of two runs started together exactly one wins. A refusal
    /// anywhere releases what this run took; with `lockWaitSeconds` it retries.
    ///
    /// `leaderLocked` is the first host's lock when the caller took it already; `uploadFollows`:
    /// the artifact is sent next (a push).
    func acquireFleetLock(origin: RunOrigin, connections: HostConnections, leaderLocked: LockAttempt? = nil,
                          uploadFollows: Bool = false) async -> FleetLock {
        let deadline = ContinuousClock.now + .milliseconds(Int(options.lockWaitSeconds * 1000))
        let script = lockScript(origin: origin)
        var alreadyLocked = leaderLocked
        while true {
            let leader = environment.hosts[0]
            let leaderAttempt: LockAttempt
            if let taken = alreadyLocked {
                leaderAttempt = taken
                alreadyLocked = nil
            } else {
                // The other hosts' script shells start while the first host's lock is taken, so that
                // their lock costs one round trip instead of three (channel open, shell started, script).
                async let peersReady: Void = startScriptShells(Array(environment.hosts.dropFirst()), connections: connections)
                leaderAttempt = await lockHost(leader, script: script, connections: connections, uploadFollows: uploadFollows)
                await peersReady
            }
            var attempts = [leader.name: leaderAttempt]
            if case .success(.acquired) = attempts[leader.name]!.outcome {
                let others = await eachHost(Array(environment.hosts.dropFirst())) { host in
                    await lockHost(host, script: script, connections: connections, uploadFollows: uploadFollows)
                }
                attempts.merge(others) { first, _ in first }
            }
            let locked = attempts.filter { if case .success(.acquired) = $0.value.outcome { true } else { false } }
            if locked.count == environment.hosts.count {
                return .acquired(attempts.compactMapValues(\.facts))
            }
            let failures = hostNames.compactMap { name in
                if case let .failure(f)? = attempts[name]?.outcome { f } else { nil }
            }
            // An attempt whose connection broke may have taken the lock all the same: released with the others.
            let uncertain = failures.map(\.host).filter { connections.hasConnected($0) }
            let release = await releaseLocks(Array(locked.keys) + uncertain, runID: origin.runID, connections: connections)
            if !failures.isEmpty { return .failed(failures, release: release) }
            let refusal = attempts.sorted { $0.key < $1.key }.compactMap { $0.value.refusal }.first ?? "the lock is held"
            if ContinuousClock.now >= deadline { return .held(message: refusal) }
            if control.stopReason != nil { return .stopped }
            try? await Task.sleep(for: .milliseconds(Int.random(in: 500...1500)))
        }
    }

    /// Starts the script shell of each of `hosts` (`Transport.startScriptShell`) while another
    /// exchange runs. A failure is left for the next script there to meet and report.
    private func startScriptShells(_ hosts: [FleetHost], connections: HostConnections) async {
        let reader = environment.shell.scriptReader
        _ = await eachHost(hosts) { host in
            try? await connections.transport(for: host).startScriptShell(reader)
        }
    }

    /// Connects to every host (handshake, host key check, authentication) before any is touched, so a
    /// changed host key or an unreachable host anywhere stops the run while no host has a lock, an upload
    /// or a directory of it. The failures, in fleet order, as the summary's text; nil when all connected.
    func connectAll(connections: HostConnections) async -> String? {
        let results = await eachHost(environment.hosts) { host -> HostFailure? in
            do throws(TransportError) { _ = try await connections.transport(for: host); return nil } catch {
                return HostFailure(host: host.name, step: .lock, message: error.message, unreachable: true)
            }
        }
        let failures = hostNames.compactMap { results[$0] ?? nil }
        return failures.isEmpty ? nil : Executor.describe(failures) + "\nnothing was changed on any host"
    }

    /// The lock script of this run; with `unlessCurrent`, hosts already running that revision and recipe
    /// (or the same recipe with other hosts) stay unlocked.
    func lockScript(origin: RunOrigin, unlessCurrent: (revision: String, fingerprint: String)? = nil) -> ShellScript {
        let lease = LockLease(origin: origin, since: Executor.isoNow(), ttlSeconds: options.lockTTLSeconds)
        let broken = HistoryRecord(action: .lockBroken, result: .succeeded, origin: origin, at: lease.since,
                                   detail: "took over a stale lock")
        return HostScripts.lock(deployTo: environment.deployTo, runID: origin.runID, leaseJSON: Executor.jsonLine(lease),
                                ttlSeconds: options.lockTTLSeconds, breakStale: options.breakStaleLock,
                                brokenHistoryLine: Executor.jsonLine(broken), unlessCurrent: unlessCurrent,
                                releaseFingerprint: environment.releaseFingerprint.isEmpty ? nil : environment.releaseFingerprint)
    }

    /// Releases this run's lock on `hosts` (never another run's).
    @discardableResult
    func releaseLocks(_ hosts: [String], runID: String, connections: HostConnections) async -> LockRelease {
        let script = HostScripts.unlock(deployTo: environment.deployTo, runID: runID)
        return await releaseLocks(on: environment.hosts.filter { hosts.contains($0.name) }, step: .unlock,
                                  connections: connections) { _ in script }
    }

    /// Runs each host's `script`, which ends by releasing this run's lock, on `hosts`: where the
    /// lock was released, and the failures where it may remain. The heartbeat ends first.
    func releaseLocks(on hosts: [FleetHost], step: DeployStep, connections: HostConnections,
                      script: @escaping @Sendable (FleetHost) -> ShellScript) async -> LockRelease {
        await connections.stopHeartbeat()
        let results = await eachHost(hosts) { host -> Result<Bool, HostFailure> in
            switch await run(script(host), on: host, step: step, connections: connections) {
            case let .success(run):
                guard run.markers.contains(.lock(.released)) else { return .success(false) }
                reporter.report(.lockReleased(host: host.name))
                return .success(true)
            case let .failure(failure): return .failure(failure)
            }
        }
        var release = LockRelease()
        for host in hosts {
            switch results[host.name] {
            case .success(true)?: release.released.insert(host.name)
            case let .failure(failure)?: release.failures.append(failure)
            default: break
            }
        }
        return release
    }

    /// Refreshes the leases every `heartbeatSeconds` until cancelled, while the run gets on
    /// (`StepWatch.stall`: no step past its deadline, no long wait between steps): a stuck run's
    /// locks go stale as a dead run's do. A lease found taken over asks the run to stop. It ends
    /// before the locks are released (`HostConnections.stopHeartbeat`).
    func startHeartbeat(runID: String, connections: HostConnections) -> Task<Void, Never> {
        let script = HostScripts.heartbeat(deployTo: environment.deployTo, runID: runID)
        let task = Task {
            var reportedStall: String?
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(options.heartbeatSeconds * 1000)))
                if Task.isCancelled { break }
                if let stall = connections.steps.stall() {
                    if reportedStall == nil {
                        for host in hostNames {
                            reporter.report(.hostWarning(host: host, message: "the lock is no longer refreshed: \(stall); "
                                + "it goes stale after its lease, and --break-stale-lock takes it"))
                        }
                    }
                    reportedStall = stall
                    continue
                }
                reportedStall = nil
                let results = await eachHost(environment.hosts) { host -> Bool in
                    guard let transport = try? await connections.transport(for: host),
                          let result = try? await transport.run(environment.shell.scriptReader,
                                                                stdin: Array(script.text.utf8), timeout: 30, onOutput: nil)
                    else { return true }
                    return !result.stdout.contains("::deployer heartbeat lost")
                }
                if let lost = results.first(where: { !$0.value })?.key {
                    control.requestStop("the lock on \(lost) was taken over by another run")
                }
            }
        }
        connections.keepLocksAlive(with: task)
        return task
    }

    /// One host's answer to the lock script.
    struct LockAttempt: Sendable {
        var outcome: Result<ScriptMarker.LockOutcome, HostFailure>
        var facts: HostFacts?
        var refusal: String?
    }

    func lockHost(_ host: FleetHost, script: ShellScript, connections: HostConnections,
                  uploadFollows: Bool = false) async -> LockAttempt {
        // The step is reported here rather than by `run`: a lock held by another run is not "lock ok".
        reporter.report(.stepStarted(host: host.name, step: .lock))
        let start = ContinuousClock.now
        let answer = await outcome(of: script, on: host, step: .lock, connections: connections, uploadFollows: uploadFollows)
        if case .failure = answer { reportFinished(.lock, on: host, since: start, answer) }
        switch answer {
        case let .failure(failure):
            return LockAttempt(outcome: .failure(failure))
        case let .success(run):
            let facts = HostFacts(markers: run.markers)
            let outcome = run.markers.lazy.compactMap { if case let .lock(o) = $0 { o } else { nil } }.first ?? .held
            if outcome == .held {
                reporter.report(.stepFinished(host: host.name, step: .lock, seconds: start.duration(to: .now).seconds,
                                              outcome: .skipped(reason: "held by another run")))
            } else {
                reportFinished(.lock, on: host, since: start, answer)
            }
            switch outcome {
            case .acquired, .released:
                reporter.report(.lockAcquired(host: host.name))
                return LockAttempt(outcome: .success(.acquired), facts: facts)
            case .skipped:
                return LockAttempt(outcome: .success(.skipped), facts: facts)
            case .broken:
                let previous = run.markers.lazy.compactMap { marker -> LockLease? in
                    guard case let .brokeLock(json) = marker else { return nil }
                    return try? JSONDecoder().decode(LockLease.self, from: Data(json.utf8))
                }.first
                reporter.report(.lockBroken(host: host.name, previousHolder: previous))
                reporter.report(.lockAcquired(host: host.name))
                return LockAttempt(outcome: .success(.acquired), facts: facts)
            case .held:
                let stale = facts.lock?.isStale(defaultTTL: options.lockTTLSeconds) ?? false
                reporter.report(.lockRefused(host: host.name, holder: facts.lock?.lease,
                                             heartbeatAgeSeconds: facts.lock?.heartbeatAgeSeconds, stale: stale))
                return LockAttempt(outcome: .success(.held), facts: facts,
                                   refusal: Executor.describeHeldLock(host: host.name, facts.lock, stale: stale))
            }
        }
    }

    static func describeHeldLock(host: String, _ lock: LockState?, stale: Bool) -> String {
        var text = "\(host) is locked"
        if let lease = lock?.lease {
            text += " by \(lease.origin.who) since \(lease.since) (run \(lease.origin.runID): \(lease.origin.command)"
            if let url = lease.origin.ciJobURL { text += ", \(url)" }
            if let message = lease.origin.message { text += ", \"\(message)\"" }
            text += ")"
        }
        if let age = lock?.heartbeatAgeSeconds { text += "; last heartbeat \(age)s ago" }
        if stale {
            text += "\n  the lock is stale (its holder stopped refreshing it); take it over with --break-stale-lock, "
                + "or remove it with `deployer unlock`"
        } else {
            text += "\n  wait for that run with --lock-wait SECONDS, or run again later"
        }
        return text
    }
}
