import DeployerModel

extension ReleaseID {
    /// The id of a release made at `unixTime` from `revision`, moved on by a
    /// second while some host already has a release of that name.
    public static func unused(unixTime: Int, revision: String, facts: some Sequence<HostFacts>) -> ReleaseID {
        let all = Array(facts)
        var time = unixTime
        while true {
            let id = ReleaseID(unixSeconds: time, revision: revision)
            if !all.contains(where: { $0.release(id) != nil }) { return id }
            time += 1
        }
    }
}
