/// The facts of one host a plan's decisions depended on, kept in a saved
/// plan so `deployer push --plan` can tell whether the host still matches.
public struct PlanFacts: Hashable, Sendable, Codable {
    /// The release `current` points at.
    public var current: String?
    /// Every release directory as `ID STATE` (good, failed, incomplete), oldest first: pruning depends on them.
    public var releases: [String]
    /// Who holds the deploy lock (run id and who), when it is held.
    public var lock: String?
    /// Whether the host already has the plan's artifact.
    public var hasArtifact: Bool
    /// Whether each needed environment directory (`NAME-HASH`) is present and complete.
    public var envs: [String: Bool]
    /// Guard results by `PHASE/TASK`.
    public var guards: [String: GuardResult]

    enum CodingKeys: String, CodingKey {
        case current, releases, lock, envs, guards
        case hasArtifact = "has_artifact"
    }

    public init(current: String?, releases: [String], lock: String?, hasArtifact: Bool, envs: [String: Bool],
                guards: [String: GuardResult]) {
        self.current = current; self.releases = releases; self.lock = lock; self.hasArtifact = hasArtifact
        self.envs = envs; self.guards = guards
    }

    /// What changed since `saved`, one line per fact; empty when nothing did.
    public func drift(since saved: PlanFacts) -> [String] {
        var lines: [String] = []
        func compare(_ what: String, _ before: String?, _ now: String?) {
            if before != now { lines.append("\(what): planned \(before ?? "none"), now \(now ?? "none")") }
        }
        compare("current release", saved.current, current)
        if saved.releases != releases {
            let added = releases.filter { !saved.releases.contains($0) }
            let gone = saved.releases.filter { !releases.contains($0) }
            lines.append("releases changed" + (added.isEmpty ? "" : "; new: " + added.joined(separator: ", "))
                + (gone.isEmpty ? "" : "; gone: " + gone.joined(separator: ", ")))
        }
        compare("lock", saved.lock.map { "held by \($0)" } ?? "free", lock.map { "held by \($0)" } ?? "free")
        compare("artifact", saved.hasArtifact ? "present" : "absent", hasArtifact ? "present" : "absent")
        for name in Set(saved.envs.keys).union(envs.keys).sorted() {
            compare("env \(name)", PlanFacts.presence(saved.envs[name]), PlanFacts.presence(envs[name]))
        }
        for key in Set(saved.guards.keys).union(guards.keys).sorted() {
            compare("guard of \(key)", PlanFacts.outcome(saved.guards[key]), PlanFacts.outcome(guards[key]))
        }
        return lines
    }

    private static func presence(_ present: Bool?) -> String? { present.map { $0 ? "present" : "absent" } }

    private static func outcome(_ result: GuardResult?) -> String? {
        guard let result else { return nil }
        switch result.holds {
        case true?: return "holds (\(result.reason ?? "skip"))"
        case false?: return "does not hold"
        case nil: return "unknown"
        }
    }
}
