import DeployerModel

/// Which release directories one host deletes after a successful push.
///
/// `keepReleases` bounds every release directory on the host, failed and
/// half-made ones included, so the disk a host uses has a documented bound.
/// Always kept, even beyond it: the current and previous releases and any
/// release another host still runs (`protected`). The room left goes to the
/// newest good releases, then to the newest failed or half-made ones (at most
/// `keepFailed`, for inspection): a failed release stays until a successful
/// push needs its room.
public enum PrunePlan {
    public static func releasesToDelete(on facts: HostFacts, keepReleases: Int, keepFailed: Int,
                                        protected: Set<ReleaseID>) -> [ReleaseID] {
        var keep = protected
        if let current = facts.current { keep.insert(current) }
        if let previous = facts.previous { keep.insert(previous) }
        let bound = max(keepReleases, 1)
        let failed = facts.releases.filter { $0.state != .good }.map(\.id).suffix(max(keepFailed, 0))
        for id in facts.goodReleases.reversed() + failed.reversed() where keep.count < bound { keep.insert(id) }
        return facts.releases.map(\.id).filter { !keep.contains($0) }
    }
}
