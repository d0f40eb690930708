import DeployerModel

/// Rewriting every string an event carries, for masking secrets: each case
/// lists all of its strings (host names, messages, stderr tails, release
/// ids, lock holders), so a new case cannot compile without saying what it holds.
extension DeployEvent {
    /// This event with `transform` applied to every string in it.
    public func mappingStrings(_ transform: (String) -> String) -> DeployEvent {
        let t = transform
        func release(_ id: ReleaseID) -> ReleaseID { ReleaseID(rawValue: t(id.rawValue)) }
        func lease(_ lease: LockLease?) -> LockLease? {
            guard var lease else { return nil }
            lease.origin.who = t(lease.origin.who)
            lease.origin.ciJobURL = lease.origin.ciJobURL.map(t)
            lease.origin.command = t(lease.origin.command)
            lease.origin.runID = t(lease.origin.runID)
            lease.origin.message = lease.origin.message.map(t)
            lease.since = t(lease.since)
            return lease
        }
        switch self {
        case let .runStarted(action, environment, runID, hosts):
            return .runStarted(action: action, environment: t(environment), runID: t(runID), hosts: hosts.map(t))
        case let .artifactReady(revision, digest, bytes):
            return .artifactReady(revision: t(revision), digest: t(digest), bytes: bytes)
        case let .buildStepStarted(step, command):
            return .buildStepStarted(step: t(step), command: t(command))
        case let .buildOutput(step, line):
            return .buildOutput(step: t(step), line: t(line))
        case let .buildStepFinished(step, seconds, exitStatus):
            return .buildStepFinished(step: t(step), seconds: seconds, exitStatus: exitStatus)
        case let .buildReused(digest, steps):
            return .buildReused(digest: t(digest), steps: steps.map(t))
        case let .releaseChosen(id, revision):
            return .releaseChosen(release: release(id), revision: t(revision))
        case let .hostConnected(host, seconds):
            return .hostConnected(host: t(host), seconds: seconds)
        case let .hostUnreachable(host, message):
            return .hostUnreachable(host: t(host), message: t(message))
        case let .hostWarning(host, message):
            return .hostWarning(host: t(host), message: t(message))
        case let .pruned(host, kind, name):
            return .pruned(host: t(host), kind: kind, name: t(name))
        case let .probed(host, current):
            return .probed(host: t(host), current: current.map(release))
        case let .stepStarted(host, step):
            return .stepStarted(host: t(host), step: step)
        case let .stepFinished(host, step, seconds, outcome):
            let mapped: StepOutcome = switch outcome {
            case .succeeded: .succeeded
            case let .skipped(reason): .skipped(reason: t(reason))
            case let .failed(task, exitStatus, message, stderrTail, command):
                .failed(task: task.map(t), exitStatus: exitStatus, message: t(message), stderrTail: stderrTail.map(t),
                        command: command.map(t))
            }
            return .stepFinished(host: t(host), step: step, seconds: seconds, outcome: mapped)
        case let .taskStarted(host, task, phase, command):
            return .taskStarted(host: t(host), task: t(task), phase: phase, command: command.map(t))
        case let .taskFinished(host, task, phase, seconds, exitStatus):
            return .taskFinished(host: t(host), task: t(task), phase: phase, seconds: seconds, exitStatus: exitStatus)
        case let .taskSkipped(host, task, phase, reason):
            return .taskSkipped(host: t(host), task: t(task), phase: phase, reason: t(reason))
        case let .taskChecked(host, task, phase, pending, output):
            return .taskChecked(host: t(host), task: t(task), phase: phase, pending: pending, output: output.map(t))
        case let .envReady(host, name, directory, reused):
            return .envReady(host: t(host), name: t(name), directory: t(directory), reused: reused)
        case let .lockAcquired(host):
            return .lockAcquired(host: t(host))
        case let .lockRefused(host, holder, heartbeatAge, stale):
            return .lockRefused(host: t(host), holder: lease(holder), heartbeatAgeSeconds: heartbeatAge, stale: stale)
        case let .lockBroken(host, previous):
            return .lockBroken(host: t(host), previousHolder: lease(previous))
        case let .lockReleased(host):
            return .lockReleased(host: t(host))
        case let .switched(host, from, to, kind):
            return .switched(host: t(host), from: from.map(release), to: release(to), kind: kind)
        case let .alreadyCurrent(id):
            return .alreadyCurrent(release: release(id))
        case let .batchStarted(index, count, hosts, canary, kind):
            return .batchStarted(index: index, count: count, hosts: hosts.map(t), canary: canary, kind: kind)
        case let .batchFinished(index, count, hosts, failed, kind):
            return .batchFinished(index: index, count: count, hosts: hosts.map(t), failed: failed.map(t), kind: kind)
        case let .hookFinished(host, hook, seconds, exitStatus, target):
            guard case var .host(address) = target else {
                return .hookFinished(host: t(host), hook: hook, seconds: seconds, exitStatus: exitStatus, on: target)
            }
            address.name = t(address.name)
            address.host = t(address.host)
            address.user = address.user.map(t)
            return .hookFinished(host: t(host), hook: hook, seconds: seconds, exitStatus: exitStatus, on: .host(address))
        case let .healthChecked(host, attempt, attempts, ok, output):
            return .healthChecked(host: t(host), attempt: attempt, attempts: attempts, ok: ok, output: output.map(t))
        case let .commandOutput(host, stream, line):
            return .commandOutput(host: t(host), stream: stream, line: t(line))
        case let .interruptRequested(signal):
            return .interruptRequested(signal: t(signal))
        case let .diagnostic(diagnostic):
            var mapped = diagnostic
            mapped.message = t(diagnostic.message)
            mapped.note = diagnostic.note.map(t)
            mapped.fixIt = diagnostic.fixIt.map(t)
            mapped.location?.file = diagnostic.location.map { t($0.file) } ?? ""
            return .diagnostic(mapped)
        case let .notified(event, hook, ok, message):
            return .notified(event: event, hook: t(hook), ok: ok, message: t(message))
        case let .summary(summary):
            var mapped = summary
            mapped.release = summary.release.map(release)
            mapped.message = t(summary.message)
            mapped.hosts = summary.hosts.map { state in
                var state = state
                state.host = t(state.host)
                state.current = state.current.map(release)
                return state
            }
            mapped.skippedTasks = summary.skippedTasks.map { skipped in
                SkippedTask(task: t(skipped.task), phase: skipped.phase, hosts: skipped.hosts.map(t), reason: t(skipped.reason))
            }
            return .summary(mapped)
        }
    }
}
