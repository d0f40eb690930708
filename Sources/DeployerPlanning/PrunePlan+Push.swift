import DeployerModel

extension PrunePlan {
    /// The releases one host deletes once it runs the new `release`: `facts`
    /// as probed before the push, with `release` added as good and current;
    /// `fleetCurrents` are the releases every host ran before (never deleted).
    public static func releasesToDelete(afterPushing release: ReleaseID, on facts: HostFacts, keepReleases: Int,
                                        keepFailed: Int, fleetCurrents: Set<ReleaseID>) -> [ReleaseID] {
        var after = facts
        after.releases.append(ReleaseOnHost(id: release, state: .good))
        after.current = release
        return releasesToDelete(on: after, keepReleases: keepReleases, keepFailed: keepFailed,
                                protected: fleetCurrents.union([release]))
    }
}
