import DeployerModel

extension Executor {
    /// Seconds a host has to answer a build step's `host_probe`.
    static let hostProbeTimeoutSeconds = 60.0

    /// Asks every host each `host_probe` of `steps` (read-only, in the environment's shell, all hosts at
    /// once) before the build, and returns the answer (standard output, trimmed) by step name. One
    /// artifact serves every host, so the hosts must answer alike: hosts that answer differently, or
    /// a probe that fails on a host, stop the push here, before any host is touched.
    func hostProbeAnswers(for steps: BuildSteps, connections: HostConnections) async throws(BuildFailure) -> [String: String] {
        var answers: [String: String] = [:]
        for step in steps.probing {
            guard let probe = step.hostProbe else { continue }
            let byHost = try await hostProbeAnswers(for: step, connections: connections)
            var hostsByAnswer: [String: [String]] = [:]
            var order: [String] = []
            for name in hostNames {
                guard let answer = byHost[name] else { continue }
                if hostsByAnswer[answer] == nil { order.append(answer) }
                hostsByAnswer[answer, default: []].append(name)
            }
            guard order.count == 1, let answer = order.first else {
                throw BuildFailure(.failed, "build step '\(step.name)' builds one artifact for every host, but the hosts "
                    + "answer its host_probe (" + secretMask.apply(probe) + ") differently:\n"
                    + order.map { "  " + hostsByAnswer[$0]!.joined(separator: ", ") + ": " + ($0.isEmpty ? "(nothing)" : secretMask.apply($0)) }
                        .joined(separator: "\n")
                    + "\nmake the hosts alike (or deploy them as separate environments); nothing was changed on any host")
            }
            answers[step.name] = answer
        }
        return answers
    }

    /// What every host answers to each `host_probe` of `steps`, by step name then host name, asked over
    /// `connections`, already connected. Changes no host.
    func hostProbeAnswersByHost(for steps: BuildSteps, connections: HostConnections) async throws(BuildFailure)
        -> [String: [String: String]] {
        var answers: [String: [String: String]] = [:]
        for step in steps.probing { answers[step.name] = try await hostProbeAnswers(for: step, connections: connections) }
        return answers
    }

    /// Why this push's hosts may not get the artifact `check` describes: they answer a build step's
    /// `host_probe` otherwise than it was built for (exit 2, `check.refusal` naming the hosts and both
    /// answers), or a probe fails or a host is out of reach; nil when every host answers as it was built
    /// for. Asked over the push's `connections`, already connected, before any lock: changes no host.
    func hostProbeRefusal(_ check: HostProbeCheck, connections: HostConnections) async
        -> (result: RunSummary.Result, message: String)? {
        let answers: [String: [String: String]]
        do { answers = try await hostProbeAnswersByHost(for: check.steps, connections: connections) } catch {
            return (error.runResult, error.message)
        }
        let differences = ArtifactManifest.hostProbeDifferences(answers, hosts: hostNames, builtFor: check.builtFor)
        return differences.isEmpty ? nil : (.usage, check.refusal(differences))
    }

    /// Every host's answer (standard output, trimmed) to `step`'s `host_probe`, by host name; a probe
    /// that fails on a host, or a host out of reach, stops here naming each such host.
    func hostProbeAnswers(for step: BuildStep, connections: HostConnections) async throws(BuildFailure) -> [String: String] {
        guard let probe = step.hostProbe else { return [:] }
        let command = environment.shell.wrap(probe)
        let results = await eachHost(environment.hosts) { host -> Result<String, HostFailure> in
            do throws(TransportError) {
                let transport = try await connections.transport(for: host)
                let result = try await transport.run(command, input: [], timeout: Self.hostProbeTimeoutSeconds, onOutput: nil)
                guard result.succeeded else {
                    let stderr = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                    return .failure(HostFailure(host: host.name, step: .probe, exitStatus: result.exitStatus,
                                                message: secretMask.apply(stderr)))
                }
                return .success(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            } catch {
                return .failure(HostFailure(host: host.name, step: .probe, message: error.message,
                                            unreachable: error.kind == .unreachable))
            }
        }
        let failures = hostNames.compactMap { name -> HostFailure? in
            if case let .failure(failure) = results[name] { failure } else { nil }
        }
        if !failures.isEmpty {
            let lines = failures.map { failure in
                "  \(failure.host): " + (failure.exitStatus.map { "exit status \($0)" } ?? "")
                    + (failure.message.isEmpty ? "" : (failure.exitStatus == nil ? "" : ": ") + failure.message)
            }
            throw BuildFailure(failures.contains(where: \.unreachable) ? .unreachable : .failed,
                               "build step '\(step.name)' asks every host before the build (host_probe: "
                               + secretMask.apply(probe) + "), and not every host answered:\n"
                               + lines.joined(separator: "\n") + "\nnothing was changed on any host")
        }
        var answers: [String: String] = [:]
        for name in hostNames { if case let .success(answer) = results[name] { answers[name] = answer } }
        return answers
    }
}
