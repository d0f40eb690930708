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
        var markerLines = Set<ReleaseID>()
        var lockAge: Int?
        var lease: LockLease?
        var artifacts = Set<String>()
        var envs = Set<String>()
        var finished: ReleaseID?
        var irreversible: [IrreversibleRun] = []
        var maintenance: MaintenanceState?
        let decoder = JSONDecoder()
        for marker in markers {
            switch marker {
            case let .current(id): current = id
            case let .release(id, state): states[id] = state
            case let .marker(id, json):
                // A marker that is not deployer's own shape (one line, naming its release) counts as missing.
                let parsed = (try? decoder.decode(ReleaseMarker.self, from: Data(json.utf8)))
                    .flatMap { $0.isWellFormed && $0.release == id ? $0 : nil }
                releaseMarkers[id] = markerLines.insert(id).inserted ? parsed : nil
            case let .previous(id, before): previous[id] = before
            case let .rolledBack(id): rolledBack.insert(id)
            case let .lockAge(age): lockAge = age
            case let .lockInfo(json): lease = try? decoder.decode(LockLease.self, from: Data(json.utf8))
            case let .artifactPresent(digest): artifacts.insert(digest)
            case let .envPresent(directory): envs.insert(directory)
            case let .finished(id): finished = id
            case let .maintenance(json):
                // On even when its line cannot be read: the file is there.
                maintenance = (try? decoder.decode(MaintenanceState.self, from: Data(json.utf8)))
                    ?? MaintenanceState(since: "?", by: "unknown", runID: "")
            case let .irreversible(json):
                // A line that is not a record (a half-written one, say) is passed over: the other hosts keep theirs.
                if let run = try? decoder.decode(IrreversibleRun.self, from: Data(json.utf8)) { irreversible.append(run) }
            default: break
            }
        }
        // Complete means a marker deployer wrote for this very release: one malformed, foreign or naming
        // another release leaves the release half-made, never a rollback target.
        self.init(current: current,
                  releases: states.map { id, state in
                      let marker = releaseMarkers[id]
                      return ReleaseOnHost(id: id, state: state == .good && marker == nil ? .incomplete : state, marker: marker,
                                           previous: previous[id], rolledBackFrom: rolledBack.contains(id))
                  },
                  lock: lockAge.map { LockState(lease: lease, heartbeatAgeSeconds: $0) },
                  artifacts: artifacts, envs: envs, finished: finished, irreversible: IrreversibleRun.merged(irreversible),
                  maintenance: maintenance)
    }
}
