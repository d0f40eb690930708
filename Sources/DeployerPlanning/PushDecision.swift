import DeployerModel

/// Whether a push has anything to do: the same revision and recipe
/// fingerprint already current, finished (`HostFacts.runsFinished`) and unlocked on every host
/// means no; the same already current on some hosts of the fleet means the others join that release.
public enum PushDecision: Hashable, Sendable {
    case alreadyCurrent(ReleaseID)
    /// Some hosts (of the push, or of the fleet outside a `--hosts`/`--roles` limit) already run
    /// `release`, made from this revision and recipe with the artifact `digest`: the hosts of the
    /// push that do not run it get that same release, and the others are left alone. This is how
    /// an unlimited push completes a limited one, and how a new host joins the fleet. A host of the
    /// push that runs `release` unfinished (its run failed or died after the switch) is not left
    /// alone: it gets the after_switch tasks and health check again (`needsRelease`).
    case join(release: ReleaseID, digest: String)
    case newRelease

    /// Decides from every host's facts (`peers`: hosts of the environment outside the push's
    /// limit, probed read-only); `force` always makes a new release. A release joined may have been
    /// made by the same recipe with other hosts (`releaseFingerprint`): a host added joins it.
    public static func decide(facts: [HostFacts], peers: [HostFacts] = [], revision: String, fingerprint: String,
                              releaseFingerprint: String = "", force: Bool) -> PushDecision {
        guard !force else { return .newRelease }
        if let first = facts.first?.current, facts.allSatisfy({ hostFacts in
            hostFacts.lock == nil && hostFacts.runsFinished(first)
                && hostFacts.currentMarker?.joinable(revision: revision, fingerprint: fingerprint,
                                                     releaseFingerprint: releaseFingerprint) == true
        }) {
            return .alreadyCurrent(first)
        }
        let running = (facts + peers).compactMap { hostFacts -> ReleaseMarker? in
            guard let marker = hostFacts.currentMarker,
                  marker.joinable(revision: revision, fingerprint: fingerprint, releaseFingerprint: releaseFingerprint)
            else { return nil }
            return marker
        }
        guard let newest = running.max(by: { $0.release < $1.release }),
              facts.contains(where: { needsRelease($0, newest.release) }) else { return .newRelease }
        return .join(release: newest.release, digest: newest.digest)
    }

    /// Whether a push joining `release` works on this host: it does not run `release`, or runs it
    /// unfinished. Only a host that finished it is left alone.
    public static func needsRelease(_ facts: HostFacts?, _ release: ReleaseID) -> Bool {
        facts?.runsFinished(release) != true
    }
}
