import DeployerModel

extension Executor {
    /// Runs the on_failure tasks of a push that failed in `phase` on the hosts of their roles, with
    /// `DEPLOYER_FAILED_PHASE`, `DEPLOYER_FAILED_HOST` and `DEPLOYER_FAILURE` (the first failure) in their
    /// environment. Their own failures never change the run's result: they come back as a note for
    /// the summary's message (empty when there are none or they all succeeded).
    func runFailureTasks(_ attempt: PushAttempt, phase: String, failures: [HostFailure],
                         connections: HostConnections) async -> String {
        let hosts = environment.hosts.filter { !(attempt.work[$0.name]?.onFailure.isEmpty ?? true) }
        guard !hosts.isEmpty else { return "" }
        let first = failures.first
        let variables = [("DEPLOYER_FAILED_PHASE", phase), ("DEPLOYER_FAILED_HOST", first?.host ?? ""),
                         ("DEPLOYER_FAILURE", first.map { String($0.description.prefix { $0 != "\n" }) } ?? "interrupted")]
        let results = await eachHost(hosts, running: { attempt.work[$0.name]!.onFailure }) { host -> HostFailure? in
            let tasks = attempt.work[host.name]!.onFailure.map { task in
                var task = task
                // Each value of a task's environment is one shell word (ScriptTask.environment).
                task.environment += variables.map { (key: $0.0, value: ShellQuote.quote($0.1)) }
                return task
            }
            let script = HostScripts.failureTasks(deployTo: environment.deployTo, release: attempt.release, tasks: tasks)
            if case let .failure(failure) = await run(script, on: host, step: .onFailure, connections: connections,
                                                      deadline: .commands(tasks.map(\.timeoutSeconds))) {
                return failure
            }
            return nil
        }
        let failed = hostNames.compactMap { results[$0] ?? nil }
        return failed.isEmpty ? "" : "\non_failure tasks failed too (the push's own failure is above):\n" + Executor.describe(failed)
    }
}
