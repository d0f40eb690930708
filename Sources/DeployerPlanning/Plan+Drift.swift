extension Plan {
    /// What differs between this saved plan and `now`, the plan made again
    /// from a fresh probe: the recipe fingerprint, the revision, the artifact
    /// digest, the hosts, and every host fact a decision depended on, one line
    /// each, prefixed by the host. Empty when the saved plan still holds.
    public func drift(to now: Plan) -> [String] {
        var lines: [String] = []
        func compare(_ what: String, _ saved: String, _ current: String) {
            if saved != current { lines.append("\(what): planned \(saved), now \(current)") }
        }
        compare("environment", environment, now.environment)
        compare("recipe fingerprint", fingerprint, now.fingerprint)
        compare("revision", revision, now.revision)
        if let planned = build, let current = now.build, planned.digest == nil || current.digest == nil {
            // Built or not since the plan was made: the same build is the same export and the same steps.
            compare("build's export", planned.source, current.source)
            compare("build steps' fingerprint", planned.fingerprint, current.fingerprint)
        } else {
            compare("artifact digest", digest, now.digest)
        }
        compare("release id", release, now.release)
        compare("batches", Plan.describe(batches), Plan.describe(now.batches))
        compare("switch", rollout.text, now.rollout.text)
        let savedHosts = hosts.map(\.name)
        let currentHosts = now.hosts.map(\.name)
        for name in savedHosts where !currentHosts.contains(name) { lines.append("\(name): no longer in \(environment)") }
        for name in currentHosts where !savedHosts.contains(name) { lines.append("\(name): not in the plan") }
        for host in hosts {
            guard let current = now.hosts.first(where: { $0.name == host.name }) else { continue }
            switch (host.facts, current.facts) {
            case let (saved?, found?):
                lines += found.drift(since: saved).map { "\(host.name): \($0)" }
            case (_?, nil):
                lines.append("\(host.name): could not be probed: \(current.unreachable ?? "unknown")")
            case (nil, _):
                lines.append("\(host.name): the plan knew nothing of this host (\(host.unreachable ?? "offline"))")
            }
        }
        return lines
    }

    /// What differs in the decisions a push executes between this saved plan and `now`, the plan
    /// the push made from the facts read under its lock: the fleet's decision, the release id, the
    /// batches and, per host, whether it changes, receives the artifact and what it prunes. Empty
    /// when the push executes the saved plan. Guards are not compared: a push evaluates them on the hosts.
    public func executionDrift(to now: Plan) -> [String] {
        var lines: [String] = []
        func compare(_ what: String, _ saved: String, _ current: String) {
            if saved != current { lines.append("\(what): planned \(saved), now \(current)") }
        }
        compare("decision", decision.rawValue, now.decision.rawValue)
        compare("release id", release, now.release)
        compare("batches", Plan.describe(batches), Plan.describe(now.batches))
        for host in hosts {
            guard let current = now.hosts.first(where: { $0.name == host.name }) else {
                lines.append("\(host.name): no longer in \(environment)")
                continue
            }
            compare("\(host.name): change", host.change.rawValue, current.change.rawValue)
            // A plan made before its build could not know the digest, nor so which hosts have it.
            if build == nil || build?.digest != nil {
                compare("\(host.name): upload", host.receivesArtifact ? "run" : "skip", current.receivesArtifact ? "run" : "skip")
            }
            compare("\(host.name): prune", (host.prune ?? []).joined(separator: " "), (current.prune ?? []).joined(separator: " "))
        }
        return lines
    }

    /// Batches as `[a, b] [c]`.
    static func describe(_ batches: [[String]]) -> String {
        batches.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " ")
    }
}
