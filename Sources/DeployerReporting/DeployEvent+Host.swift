import DeployerModel

extension DeployEvent {
    /// The host an event is about, nil for events about the whole run.
    public var host: String? {
        switch self {
        case let .hostConnected(host, _), let .hostUnreachable(host, _), let .hostWarning(host, _), let .probed(host, _),
             let .pruned(host, _, _),
             let .stepStarted(host, _), let .stepFinished(host, _, _, _),
             let .taskStarted(host, _, _, _), let .taskFinished(host, _, _, _, _), let .taskSkipped(host, _, _, _),
             let .taskChecked(host, _, _, _, _),
             let .envReady(host, _, _, _), let .lockAcquired(host), let .lockRefused(host, _, _, _),
             let .lockBroken(host, _), let .lockReleased(host), let .switched(host, _, _, _),
             let .hookFinished(host, _, _, _, _), let .healthChecked(host, _, _, _, _),
             let .commandOutput(host, _, _):
            return host
        case .runStarted, .artifactReady, .buildStepStarted, .buildOutput, .buildStepFinished, .buildReused, .releaseChosen,
             .alreadyCurrent, .interruptRequested, .diagnostic, .notified, .summary,
             .batchStarted, .batchFinished:
            return nil
        }
    }
}
