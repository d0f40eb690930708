import DeployerModel

extension Executor {
    /// Runs a command on every host of the environment at once (`deployer run`), at most
    /// `options.parallel` at a time: `commands[host]`, in the environment's shell when `inRecipeShell`
    /// (as tasks run: `shell:`), else as written (the login user's shell, for `run --hosts`).
    ///
    /// Each host's run is a `command` step; what the command prints is reported line by line as
    /// `command_output` as it arrives, and kept nowhere. The summary counts the hosts that ran it,
    /// failed (a non-zero exit, a signal, the timeout) and could not be reached: unreachable (exit 4)
    /// when one could not, else failed (exit 1) when one failed.
    public func runCommand(_ commands: [String: String], timeout: Double?, inRecipeShell: Bool,
                           runID: String) async -> RunSummary {
        await reportedRun(.run, runID: runID) { connections in
            let results = await eachHost(environment.hosts) { host -> HostFailure? in
                let command = commands[host.name] ?? ""
                let ran = await reporting(.command, on: host) { () async -> Result<Void, HostFailure> in
                    await runCommand(inRecipeShell ? environment.shell.wrap(command) : command, on: host,
                                     timeout: timeout, connections: connections)
                }
                if case let .failure(failure) = ran { return failure }
                return nil
            }
            let failures = hostNames.compactMap { results[$0] ?? nil }
            let unreachable = failures.filter(\.unreachable).map(\.host)
            let failed = failures.filter { !$0.unreachable }
            var message = "\(hostNames.count) host\(hostNames.count == 1 ? "" : "s"): "
                + "\(hostNames.count - failures.count) ok, \(failed.count) failed"
            if !failed.isEmpty {
                message += " (" + failed.map { "\($0.host): \($0.exitStatus.map { "exit \($0)" } ?? $0.message)" }
                    .joined(separator: ", ") + ")"
            }
            message += ", \(unreachable.count) unreachable"
            if !unreachable.isEmpty { message += " (" + unreachable.joined(separator: ", ") + ")" }
            let result: RunSummary.Result = !unreachable.isEmpty ? .unreachable : failed.isEmpty ? .succeeded : .failed
            return RunSummary(action: .run, result: result, release: nil, message: message, hosts: [], seconds: 0)
        }
    }

    /// `command` on `host`, its output reported line by line; a non-zero exit, a signal or the timeout is
    /// the host's failure (`exitStatus` set for an exit status), a connection that broke or went silent
    /// makes it unreachable (exit 4), as in a push.
    private func runCommand(_ command: String, on host: FleetHost, timeout: Double?,
                            connections: HostConnections) async -> Result<Void, HostFailure> {
        let transport: any Transport
        do { transport = try await connections.transport(for: host) } catch {
            // A setting of ssh_config deployer refuses (`local`) fails the host; it was reached, or could have been.
            return .failure(HostFailure(host: host.name, step: .command, message: error.message,
                                        unreachable: error.kind == .unreachable))
        }
        let reporter = reporter
        let splitters = [CommandStream.stdout, .stderr].map { stream in
            OutputLineSplitter { reporter.report(.commandOutput(host: host.name, stream: stream, line: $0)) }
        }
        do {
            let result = try await transport.stream(command, timeout: timeout) { chunk in
                switch chunk {
                case let .stdout(bytes): splitters[0].feed(bytes)
                case let .stderr(bytes): splitters[1].feed(bytes)
                }
            }
            splitters.forEach { $0.finish() }
            if let signal = result.exitSignal {
                return .failure(HostFailure(host: host.name, step: .command, message: "signal \(signal)"))
            }
            if result.exitStatus != 0 {
                return .failure(HostFailure(host: host.name, step: .command, exitStatus: result.exitStatus, message: ""))
            }
            return .success(())
        } catch {
            splitters.forEach { $0.finish() }
            connections.drop(host.name)
            return .failure(HostFailure(host: host.name, step: .command,
                                        message: error.kind == .timeout ? "timeout: \(error.message)" : error.message,
                                        unreachable: error.kind == .unreachable || error.kind == .connectionLost))
        }
    }
}
