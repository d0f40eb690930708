import DeployerModel

extension ReleaseID {
    /// The id of a release made at `unixTime` from `revision`, moved on by a
    /// second while some host already has a release of that second: releases
    /// are ordered by id, so one made in the same second as another, of any
    /// revision, must not sort before it (by its revision) and pass for the older one.
    public static func unused(unixTime: Int, revision: String, facts: some Sequence<HostFacts>) -> ReleaseID {
        let all = Array(facts)
        var time = unixTime
        while true {
            let id = ReleaseID(unixSeconds: time, revision: revision)
            let second = id.rawValue.prefix { $0 != "-" }
            if !all.contains(where: { $0.releases.contains { $0.id.rawValue.prefix { $0 != "-" } == second } }) { return id }
            time += 1
        }
    }
}
