import DeployerModel

/// Drops every event. A plan's probe is not a run: its steps, and the task
/// skips its guard checks report, must not appear in a push's output
/// (`push --plan` probes before the push's `run_started`).
struct SilentReporter: Reporter {
    func report(_ event: DeployEvent) {}
}
