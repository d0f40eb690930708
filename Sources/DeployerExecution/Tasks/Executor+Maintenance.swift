import DeployerModel
import DeployerPlanning

extension Executor {
    /// `deployer maintenance ENV on|off`: under the fleet lock, turns maintenance mode on or off on
    /// every host (the recipe's `maintenance:` commands, else the flag file `shared/maintenance.on`),
    /// recorded in each host's history.
    public func maintenance(on: Bool, origin: RunOrigin) async -> RunSummary {
        await reportedRun(.maintenance, runID: origin.runID) { connections in
            let facts: [String: HostFacts]
            do throws(RunEnded) {
                facts = try await connectAndLock(.maintenance, origin: origin, connections: connections)
            } catch {
                return error.summary
            }
            let state = on ? MaintenanceState(since: Executor.isoNow(), by: origin.who, runID: origin.runID) : nil
            let failures = await setMaintenance(state, facts: facts, connections: connections)
            let record = HistoryRecord(action: on ? .maintenanceOn : .maintenanceOff, result: failures.isEmpty ? .succeeded : .failed,
                                       origin: origin, at: Executor.isoNow(), detail: failures.first?.description)
            let finished = await releaseLocks(on: environment.hosts, step: .finish, connections: connections) { _ in
                HostScripts.finish(deployTo: environment.deployTo, HostScripts.FinishInput(
                    markFailed: nil, historyLine: Executor.jsonLine(record), prune: [], pruneCaches: false, runID: origin.runID))
            }
            let mode = "maintenance mode \(on ? "on" : "off")"
            guard failures.isEmpty else {
                return summary(.maintenance, failures.contains(where: \.unreachable) ? .unreachable : .failed, nil,
                               Executor.describe(failures) + "\n\(mode) failed on " + failures.map(\.host).joined(separator: ", ")
                                   + "; run the same command again" + finished.note, facts: facts, locksReleased: finished.released)
            }
            return summary(.maintenance, .succeeded, nil, "\(mode) on every host" + finished.note, facts: facts,
                           locksReleased: finished.released)
        }
    }

    /// Turns maintenance mode on (`state`) or off on every host of this executor; the hosts where it failed.
    func setMaintenance(_ state: MaintenanceState?, facts: [String: HostFacts], connections: HostConnections) async -> [HostFailure] {
        let results = await eachHost(environment.hosts) { host -> HostFailure? in
            let command: String?
            do {
                command = try maintenanceCommand(on: state != nil, host: host, current: facts[host.name]?.current)
            } catch {
                return HostFailure(host: host.name, step: .maintenance, message: "\(error)")
            }
            let script = HostScripts.maintenance(deployTo: environment.deployTo, on: state, command: command)
            if case let .failure(failure) = await run(script, on: host, step: .maintenance, connections: connections) {
                return failure
            }
            return nil
        }
        return hostNames.compactMap { results[$0] ?? nil }
    }

    /// The recipe's `maintenance:` command for `host`, rendered like a task's (its `release` the host's
    /// current one); nil without one (the flag file).
    private func maintenanceCommand(on: Bool, host: FleetHost, current: ReleaseID?) throws -> String? {
        guard let commands = environment.maintenance else { return nil }
        let renderer = TaskRenderer(environment: environment, release: current ?? ReleaseID(rawValue: ""), revision: "")
        let task = ResolvedTask(name: on ? "maintenance on" : "maintenance off", phase: .afterSwitch,
                                run: on ? commands.on : commands.off, location: commands.location)
        return try renderer.render(task, for: host).command
    }
}
