import DeployerModel

extension Planner {
    /// The `max_parallel` of each task that has one, by task name; nil when no task has one
    /// (a plan without the key reads the same as before the key existed).
    static func maxParallel(of environment: ResolvedEnvironment) -> [String: Int]? {
        var caps: [String: Int] = [:]
        for task in environment.tasks { if let cap = task.maxParallel { caps[task.name] = cap } }
        return caps.isEmpty ? nil : caps
    }
}
