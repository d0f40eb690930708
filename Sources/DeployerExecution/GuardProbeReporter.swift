import DeployerModel

/// Passes a plan probe's events on, except the task skips its guard checks
/// report: no task is skipped by a probe, only found skippable.
struct GuardProbeReporter: Reporter {
    var base: any Reporter

    func report(_ event: DeployEvent) {
        if case .taskSkipped = event { return }
        base.report(event)
    }
}
