import DeployerModel

extension ResolvedEnvironment {
    /// The hosts `task` runs on: every host with one of its roles, or only the first for a `once` task.
    public func hosts(running task: ResolvedTask) -> [Host] {
        let matching = hosts.filter { task.applies(to: $0) }
        return task.once ? Array(matching.prefix(1)) : matching
    }

    /// The phases a push runs tasks in, in order.
    public static let pushPhases: [Phase] = [.prepare, .beforeSwitch, .afterSwitch]
}
