import DeployerModel

/// Which release directories one host deletes after a successful push.
///
/// Kept: the newest `keepReleases` good releases, the current and previous
/// releases, any release another host still runs, and the newest
/// `keepFailed` failed or half-made ones (for inspection). Failed releases are
/// never counted among the kept good ones.
public enum PrunePlan {
    public static func releasesToDelete(on facts: HostFacts, keepReleases: Int, keepFailed: Int,
                                        protected: Set<ReleaseID>) -> [ReleaseID] {
        var keep = protected
        if let current = facts.current { keep.insert(current) }
        if let previous = facts.previous { keep.insert(previous) }
        keep.formUnion(facts.goodReleases.suffix(max(keepReleases, 1)))
        keep.formUnion(facts.releases.filter { $0.state != .good }.map(\.id).suffix(max(keepFailed, 0)))
        return facts.releases.map(\.id).filter { !keep.contains($0) }
    }
}
