import DeployerModel

/// Whether a push has anything to do: the same revision and recipe
/// fingerprint already current and unlocked on every host means no.
public enum PushDecision: Hashable, Sendable {
    case alreadyCurrent(ReleaseID)
    case newRelease

    /// Decides from every host's facts; `force` always makes a new release.
    public static func decide(facts: [HostFacts], revision: String, fingerprint: String, force: Bool) -> PushDecision {
        guard !force, let first = facts.first?.current else { return .newRelease }
        let allCurrent = facts.allSatisfy { hostFacts in
            hostFacts.lock == nil && hostFacts.current == first
                && hostFacts.currentMarker?.matches(revision: revision, fingerprint: fingerprint) == true
        }
        return allCurrent ? .alreadyCurrent(first) : .newRelease
    }
}
