import DeployerModel

extension Executor {
    /// `eachHost`, where a host waits before `body` while a task it would run (`tasks`) already
    /// runs on as many hosts as its `max_parallel` says. A phase's tasks go to a host in one
    /// script, so the cap holds for the whole script: what else it does waits with it.
    ///
    /// A host takes the places of its capped tasks in name order, the same on every host, so two
    /// hosts never hold each other's places.
    func eachHost<T: Sendable>(_ hosts: [FleetHost], running tasks: @escaping @Sendable (FleetHost) -> [ScriptTask],
                               _ body: @escaping @Sendable (FleetHost) async -> T) async -> [String: T] {
        var limits: [String: ConcurrencyLimit] = [:]
        let named = Set(hosts.flatMap { tasks($0).map(\.name) })
        for task in environment.tasks where named.contains(task.name) {
            if let cap = task.maxParallel, cap < min(options.parallel, hosts.count) {
                limits[task.name] = ConcurrencyLimit(permits: cap)
            }
        }
        guard !limits.isEmpty else { return await eachHost(hosts, body) }
        let capped = limits
        return await eachHost(hosts) { host in
            let held = Set(tasks(host).map(\.name)).sorted().compactMap { capped[$0] }
            for limit in held { await limit.acquire() }
            let result = await body(host)
            for limit in held { await limit.release() }
            return result
        }
    }
}
