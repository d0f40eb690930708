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
        compare("artifact digest", digest, now.digest)
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

    /// Batches as `[a, b] [c]`.
    static func describe(_ batches: [[String]]) -> String {
        batches.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " ")
    }
}
