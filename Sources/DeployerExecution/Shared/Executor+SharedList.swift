import DeployerModel

extension Executor {
    /// Reads, on every host at once and read-only, what it has of the shared files and dirs the recipe
    /// declares (`deployer shared ENV list`): one `stat` per path in one round trip, never a file's contents.
    ///
    /// The run fails (exit 1) when a host lacks a shared file, since a push fails there until it is put
    /// (`deployer shared ENV put`); a missing dir is only shown (the next push creates it); a host
    /// that cannot be read makes it unreachable (exit 4).
    public func listShared(runID: String) async -> (states: [String: [SharedPathState]], unreachable: [String: String],
                                                     result: RunSummary.Result) {
        let declared = environment.shared.files.map { ($0, SharedPathState.Kind.file) }
            + environment.shared.dirs.map { ($0, SharedPathState.Kind.dir) }
        let layout = RemoteLayout(deployTo: environment.deployTo)
        let script = "for p in " + declared.map { ShellQuote.quote(layout.shared + "/" + $0.0) }.joined(separator: " ")
            + "; do if [ -e \"$p\" ]; then stat -L -c '%F|%s|%a|%Y' -- \"$p\" || echo unreadable; else echo missing; fi; done"
        var states: [String: [SharedPathState]] = [:]
        var unreachable: [String: String] = [:]
        let summary = await reportedRun(.sharedList, runID: runID) { connections in
            let read = await eachHost(environment.hosts) { host -> Result<[SharedPathState], HostFailure> in
                await reporting(.sharedList, on: host) {
                    guard !declared.isEmpty else { return .success([]) }
                    do throws(TransportError) {
                        let transport = try await connections.transport(for: host)
                        let result = try await transport.runScript(script, shell: environment.shell.scriptReader, onOutput: nil)
                        let lines = result.stdout.split(separator: "\n")
                        guard result.succeeded, lines.count == declared.count else {
                            return .failure(HostFailure(host: host.name, step: .sharedList, exitStatus: result.exitStatus,
                                                        message: "could not list the shared paths",
                                                        stderrTail: result.stderr.split(separator: "\n").suffix(3).map(String.init)))
                        }
                        return .success(zip(declared, lines).map { SharedPathState(path: $0.0, declared: $0.1, statLine: $1) })
                    } catch {
                        return .failure(HostFailure(host: host.name, step: .sharedList, message: error.message, unreachable: true))
                    }
                }
            }
            states = read.compactMapValues { try? $0.get() }
            unreachable = read.compactMapValues { if case let .failure(failure) = $0 { failure.message } else { nil } }
            let missing = hostNames.flatMap { host in
                (states[host] ?? []).filter { $0.declared == .file && $0.problem != nil }.map { "\(host): shared/\($0.path) \($0.problem!)" }
            }
            var message = "read \(hostNames.count - unreachable.count) of \(hostNames.count) host" + (hostNames.count == 1 ? "" : "s")
            if !unreachable.isEmpty { message += "; could not read " + hostNames.filter { unreachable[$0] != nil }.joined(separator: ", ") }
            if !missing.isEmpty {
                message += "\n" + missing.joined(separator: "\n")
                    + "\na push fails on these hosts until each file is there: deployer shared \(environment.name) put PATH --from FILE"
            }
            let result: RunSummary.Result = !unreachable.isEmpty ? .unreachable : missing.isEmpty ? .succeeded : .failed
            return RunSummary(action: .sharedList, result: result, release: nil, message: message, hosts: [], seconds: 0)
        }
        return (states, unreachable, summary.result)
    }
}
