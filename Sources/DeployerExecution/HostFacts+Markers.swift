import DeployerModel
import DeployerPlanning
import Foundation

extension HostFacts {
    /// The facts a probe reported (the probe's markers, in any order).
    init(markers: [ScriptMarker]) {
        var current: ReleaseID?
        var states: [ReleaseID: ReleaseOnHost.State] = [:]
        var releaseMarkers: [ReleaseID: ReleaseMarker] = [:]
        var previous: [ReleaseID: ReleaseID] = [:]
        var rolledBack = Set<ReleaseID>()
        var lockAge: Int?
        var lease: LockLease?
        var artifacts = Set<String>()
        var envs = Set<String>()
        let decoder = JSONDecoder()
        for marker in markers {
            switch marker {
            case let .current(id): current = id
            case let .release(id, state): states[id] = state
            case let .marker(id, json):
                // A marker that is not deployer's own shape (or names another release) counts as missing.
                releaseMarkers[id] = (try? decoder.decode(ReleaseMarker.self, from: Data(json.utf8)))
                    .flatMap { $0.isWellFormed && $0.release == id ? $0 : nil }
            case let .previous(id, before): previous[id] = before
            case let .rolledBack(id): rolledBack.insert(id)
            case let .lockAge(age): lockAge = age
            case let .lockInfo(json): lease = try? decoder.decode(LockLease.self, from: Data(json.utf8))
            case let .artifactPresent(digest): artifacts.insert(digest)
            case let .envPresent(directory): envs.insert(directory)
            default: break
            }
        }
        self.init(current: current,
                  releases: states.map {
                      ReleaseOnHost(id: $0.key, state: $0.value, marker: releaseMarkers[$0.key], previous: previous[$0.key],
                                    rolledBackFrom: rolledBack.contains($0.key))
                  },
                  lock: lockAge.map { LockState(lease: lease, heartbeatAgeSeconds: $0) },
                  artifacts: artifacts, envs: envs)
    }
}
