import DeployerExecution
import DeployerModel
import DeployerReporting

extension DiffCommand {
    /// `--live`: which release each environment runs, read from its hosts
    /// (read-only), and whether both run the same artifact.
    func printLive() async throws {
        var digests: [String: Set<String>] = [:]
        for name in [left, right] {
            let context = try FleetContext(environmentName: name, recipe: recipeOptions, ssh: ssh, readsSecrets: false)
            let inspection = await context.executor.inspect()
            let groups = Dictionary(grouping: inspection.hosts.filter { inspection.facts[$0] != nil }) {
                inspection.facts[$0]!.currentMarker
            }
            digests[name] = Set(groups.keys.compactMap { $0?.digest })
            for (marker, hosts) in groups.sorted(by: { ($0.key?.release.rawValue ?? "") < ($1.key?.release.rawValue ?? "") }) {
                let release = marker.map { "\($0.release) (revision \($0.revision.prefix(12)), artifact sha256:\($0.digest.prefix(12)))" }
                    ?? "no release"
                print("\(name) runs \(release) on \(hosts.joined(separator: ", "))")
            }
            for host in inspection.hosts {
                if let message = inspection.unreachable[host] { print("\(name): \(host) unreachable: \(message.displaySafe)") }
            }
        }
        let same = digests[left] == digests[right] && digests[left]?.count == 1
        print(same ? "\(left) and \(right) run the same artifact" : "\(left) and \(right) do not run the same artifact")
    }
}
