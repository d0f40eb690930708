import DeployerModel

extension Executor {
    /// Puts the controller's `file` at `shared/PATH` on every host (`deployer shared ENV put`), with
    /// `mode`, atomically, recorded in each host's history. What is in the file is never printed:
    /// events and history name the path, the size and a prefix of its SHA-256.
    public func putShared(path: String, file: String, mode: String, origin: RunOrigin) async -> RunSummary {
        await reportedRun(.sharedPut, runID: origin.runID) { connections in
            let hashed: (digest: String, bytes: Int)
            do { hashed = try ArtifactBuilder.sha256(of: file) } catch {
                return summary(.sharedPut, .usage, nil, "\(error)\nnothing was changed on any host", facts: [:])
            }
            let record = HistoryRecord(action: .sharedPut, result: .succeeded, origin: origin, at: Executor.isoNow(),
                                       detail: "shared/\(path) put (\(hashed.bytes) bytes, mode \(mode), "
                                           + "SHA-256 \(hashed.digest.prefix(12)))")
            let setup = HostScripts.sharedPutSetup(deployTo: environment.deployTo, path: path)
            let putScript = HostScripts.sharedPut(deployTo: environment.deployTo, path: path, digest: hashed.digest, mode: mode,
                                            historyLine: Executor.jsonLine(record))
            let results = await eachHost(environment.hosts) { host -> HostFailure? in
                let put = await reporting(.sharedPut, on: host) { () async -> Result<ScriptRun, HostFailure> in
                    if case let .failure(failure) = await outcome(of: setup, on: host, step: .sharedPut, connections: connections) {
                        return .failure(failure)
                    }
                    return await outcome(of: putScript, on: host, step: .sharedPut, connections: connections,
                                         sending: (file, hashed.bytes))
                }
                if case let .failure(failure) = put { return failure }
                return nil
            }
            let failures = hostNames.compactMap { results[$0] ?? nil }
            let done = hostNames.filter { results[$0] == .some(nil) }
            var message = "shared/\(path) (\(hashed.bytes) bytes, mode \(mode)) is on " + (done.isEmpty ? "no host" : done.joined(separator: ", "))
            if !failures.isEmpty { message = Executor.describe(failures) + "\n" + message + "; run the same command again for the others" }
            let result: RunSummary.Result = failures.isEmpty ? .succeeded
                : failures.allSatisfy(\.unreachable) ? .unreachable : .failed
            return summary(.sharedPut, result, nil, message, facts: [:])
        }
    }
}
