import DeployerModel
import DeployerPlanning

extension PushAttempt {
    /// Why `host` keeps the release this push gives it as it is (`HostFacts.keepsRelease`), or nil
    /// when the host must prepare it.
    func keptReleaseReason(on host: String) -> String? {
        guard let facts = facts[host], facts.keepsRelease(release, digest: artifact.digest) else { return nil }
        return facts.current == release
            ? "\(host) already runs \(release) unfinished: kept as it is; its after_switch tasks and health check run again"
            : "release \(release) is already complete on \(host): kept as it is"
    }
}
