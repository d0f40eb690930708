import DeployerModel
import DeployerPlanning

extension Executor {
    func summary(_ action: RunAction, _ result: RunSummary.Result, _ release: ReleaseID?, _ message: String,
                 facts: [String: HostFacts], locksReleased: Set<String>? = nil) -> RunSummary {
        RunSummary(action: action, result: result, release: release, message: message,
                   hosts: hostNames.map { name in
                       RunSummary.HostState(host: name, current: facts[name]?.current, known: facts[name] != nil,
                                            lockReleased: locksReleased?.contains(name) ?? true)
                   }, seconds: 0)
    }

    static func describe(_ failures: [HostFailure]) -> String {
        failures.map(\.description).joined(separator: "\n")
    }

    /// Which host runs which release, grouped: `web1, web2: R1; web3: R2`.
    static func describeCurrents(_ currents: [String: ReleaseID?], hosts: [String]) -> String {
        var groups: [(ReleaseID?, [String])] = []
        for host in hosts {
            let current = currents[host] ?? nil
            if let index = groups.firstIndex(where: { $0.0 == current }) { groups[index].1.append(host) }
            else { groups.append((current, [host])) }
        }
        return groups.map { "\($0.1.joined(separator: ", ")): \($0.0?.rawValue ?? "no release")" }
            .joined(separator: "; ")
    }

    /// A whole run of `action`: `run_started`, `steps` over fresh connections
    /// (closed afterwards), the duration, and the `summary` event, always last.
    func reportedRun(_ action: RunAction, runID: String, _ steps: (HostConnections) async -> RunSummary) async -> RunSummary {
        let start = ContinuousClock.now
        let connections = HostConnections(connector: connector, reporter: reporter)
        reporter.report(.runStarted(action: action, environment: environment.name, runID: runID, hosts: hostNames))
        var summary = await steps(connections)
        await connections.closeAll()
        if let limit {
            summary.message += "\nlimited to \(limit.text) (\(hostNames.joined(separator: ", "))); \(limit.outsideText)"
        }
        summary.seconds = start.duration(to: .now).seconds
        reporter.report(.summary(summary))
        return summary
    }
}
