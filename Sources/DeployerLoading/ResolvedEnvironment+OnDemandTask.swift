import DeployerModel

extension ResolvedEnvironment {
    /// The task `deployer task ENV NAME` runs, and this environment (already narrowed by `--hosts` and
    /// `--roles`) narrowed to the hosts that run it: the hosts of its roles, the first of them only for a
    /// `once` task. A diagnostic (exit 2, nothing touched) for a name the recipe has no task of (listing
    /// them, with the nearest), a task that makes no sense against `current` (a build step, a prepare or
    /// on_failure task: at the place the recipe writes it), and a task none of these hosts runs.
    public func onDemandTask(named name: String) throws(DiagnosticsError) -> (task: ResolvedTask, environment: ResolvedEnvironment) {
        guard let task = tasks.first(where: { $0.name == name }) else {
            let names = tasks.map(\.name)
            let runnable = tasks.filter(\.runsOnDemand).map(\.name)
            throw DiagnosticsError([.error("the recipe has no task '\(name)'"
                + Suggestion.didYouMean(name, in: names),
                note: runnable.isEmpty ? "environment '\(self.name)' has no task deployer task can run"
                    : "tasks deployer task can run in '\(self.name)': " + runnable.joined(separator: ", "))])
        }
        if let reason = ResolvedTask.phasesNotRunOnDemand[task.phase] {
            throw DiagnosticsError([.error("task '\(name)' \(reason)", at: task.location,
                                           note: "deployer task runs the tasks of the other phases (before_switch, "
                                               + "after_switch, after_rollback) against the release current points at")])
        }
        let roles = Set(task.roles)
        let eligible = hosts.filter { roles.isEmpty || $0.roles.contains(where: roles.contains) }
        guard !eligible.isEmpty else {
            throw DiagnosticsError([.error("task '\(name)' runs on hosts with the role " + task.roles.joined(separator: " or ")
                + " and none of these hosts of environment '\(self.name)' has it: "
                + hosts.map(\.name).joined(separator: ", "), at: task.location)])
        }
        var narrowed = self
        narrowed.hosts = task.once ? Array(eligible.prefix(1)) : eligible
        return (task, narrowed)
    }
}
