import DeployerModel

extension TaskRenderer {
    /// One host's rollout script to this renderer's release: `rolling.drain`
    /// and `rolling.undrain` and the health check (its role's, else the environment's)
    /// rendered for `host`, with `tasks` after the switch.
    func rolloutScript(for host: FleetHost, kind: SwitchKind, runID: String, tasks: [(phase: Phase, tasks: [ScriptTask])])
        throws(UndefinedName) -> RolloutScript {
        let values = variables(for: host, roles: [])
        func fill(_ template: Template, _ context: String, asWord: Bool = false) throws(UndefinedName) -> String {
            try substitute(template, values, context: context, location: nil, asWord: asWord)
        }
        let rolling = environment.rolling
        var health: RenderedHealthCheck?
        if let check = environment.health(for: host) {
            let probe: RenderedHealthCheck.Probe
            switch check.probe {
            case let .command(command): probe = .command(try fill(command, "health.run"))
            case let .http(url, status, socket):
                probe = .http(url: try fill(url, "health.http", asWord: true), status: status,
                              unixSocket: try socket.map { t throws(UndefinedName) in try fill(t, "health.unix_socket", asWord: true) })
            }
            health = RenderedHealthCheck(probe: probe, attempts: check.retries + 1, intervalSeconds: check.intervalSeconds,
                                         timeoutSeconds: check.timeoutSeconds, graceSeconds: check.graceSeconds)
        }
        func hook(_ command: RolloutHookCommand?, _ context: String) throws(UndefinedName) -> RenderedHook? {
            guard let command else { return nil }
            return RenderedHook(command: try fill(command.run, context), on: command.target)
        }
        return RolloutScript(release: release, kind: kind, runID: runID, drain: try hook(rolling.drain, "rolling.drain"),
                             tasks: tasks, health: health, undrain: try hook(rolling.undrain, "rolling.undrain"))
    }
}
