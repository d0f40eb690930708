import DeployerModel

/// What a run has done so far, host by host, folded from its events: the
/// model behind the terminal's live view and every reporter's summary table.
struct RunProgress: Sendable {
    var action: RunAction?
    var environment: String?
    var release: ReleaseID?
    /// Hosts in the order the run named them.
    private(set) var hostNames: [String] = []
    private(set) var hosts: [String: HostProgress] = [:]
    private(set) var summary: RunSummary?
    private(set) var interrupted = false
    /// The batch of a rolling switch in flight, nil between batches.
    private(set) var batch: BatchProgress?
    /// Batches finished so far, of every kind.
    private(set) var batchesDone = 0
    /// When the run started, on the reporter's clock.
    private(set) var startedAt: Double?

    /// Folds in `event`, which happened at `now` (seconds on any monotonic clock).
    mutating func apply(_ event: DeployEvent, at now: Double) {
        switch event {
        case let .runStarted(action, environment, _, names):
            self = RunProgress()
            self.action = action
            self.environment = environment
            startedAt = now
            for name in names { update(name) { _ in } }
        case .artifactReady, .buildStepStarted, .buildOutput, .buildStepFinished, .buildReused, .envReady, .lockBroken,
             .hostWarning, .pruned, .commandOutput, .taskChecked:
            break
        case let .releaseChosen(release, _), let .alreadyCurrent(release):
            self.release = release
        case let .hostConnected(host, _), let .lockAcquired(host):
            update(host) { if $0.state == .waiting { $0.state = .running } }
        case let .hostUnreachable(host, _):
            finish(host, as: .unreachable, at: now)
        case let .probed(host, current):
            update(host) { $0.current = current }
        case let .stepStarted(host, step):
            update(host) {
                if $0.state == .waiting { $0.state = .running }
                $0.step = (step, now)
                $0.task = nil
            }
        case let .stepFinished(host, step, _, outcome):
            update(host) {
                $0.step = nil
                $0.task = nil
                $0.lastStep = step
            }
            if case let .failed(task, exitStatus, message, stderrTail, _) = outcome {
                var what = step.rawValue
                if let task { what += ": task \(task)" }
                if let exitStatus { what += ", exit \(exitStatus)" }
                finish(host, as: .failed(what: what), at: now)
                update(host) {
                    $0.failureLines = [DeployEvent.failureHeadline(step: step, task: task, exitStatus: exitStatus,
                                                                   message: message)]
                        + stderrTail.map { "  stderr: \($0)" }
                }
            }
        case let .taskStarted(host, task, _, _):
            update(host) { $0.task = task }
        case let .taskFinished(host, task, _, _, exitStatus) where action == .task && exitStatus == 0:
            update(host) { $0.task = nil; $0.taskOutcome = "ran \(task)" }
        case let .taskSkipped(host, task, _, reason) where action == .task:
            update(host) { $0.task = nil; $0.taskOutcome = "skipped \(task): \(reason)" }
        case let .taskFinished(host, _, _, _, _), let .taskSkipped(host, _, _, _), let .hookFinished(host, _, _, _, _):
            update(host) { $0.task = nil }
        case let .healthChecked(host, attempt, attempts, ok, _):
            update(host) { $0.task = ok ? nil : "health \(attempt)/\(attempts) failed" }
        case let .batchStarted(index, count, hosts, _, kind):
            batch = BatchProgress(index: index, count: count, hosts: hosts, kind: kind)
        case .batchFinished:
            batch = nil
            batchesDone += 1
        case let .lockRefused(host, _, _, _):
            finish(host, as: .lockHeld, at: now)
        case let .lockReleased(host):
            finish(host, as: .done, at: now)
        case let .switched(host, _, to, kind):
            update(host) {
                $0.current = to
                $0.lastSwitch = kind
            }
        case .interruptRequested:
            interrupted = true
        case .diagnostic, .notified:
            break
        case let .summary(summary):
            self.summary = summary
            if let release = summary.release { self.release = release }
            for state in summary.hosts {
                update(state.host) {
                    // Ended elsewhere than its last switch in this run took it (a failed first push takes a host
                    // back to no release without a `switched` event): it was reverted, whatever the table said.
                    if $0.lastSwitch != nil, state.known, $0.current != state.current { $0.lastSwitch = .revert }
                    $0.current = state.current
                }
            }
            for name in hostNames { finish(name, as: .done, at: now) }
        }
    }

    /// Host names whose state is final, in run order.
    var finishedHosts: [String] { hostNames.filter { hosts[$0]?.isFinished == true } }

    /// Host names still waiting or running, in run order.
    var activeHosts: [String] { hostNames.filter { hosts[$0]?.isFinished != true } }

    private mutating func update(_ host: String, _ change: (inout HostProgress) -> Void) {
        if hosts[host] == nil {
            hostNames.append(host)
            hosts[host] = HostProgress()
        }
        change(&hosts[host]!)
    }

    /// Moves `host` to a final `state`, unless it already is in one (the first failure wins).
    private mutating func finish(_ host: String, as state: HostProgress.State, at now: Double) {
        update(host) {
            guard !$0.isFinished else { return }
            $0.state = state
            $0.step = nil
            $0.task = nil
            $0.finishedAt = now
        }
    }
}
