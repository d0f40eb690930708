extension Plan {
    /// The plan as `deployer plan` prints it: the artifact, then per host
    /// what it runs now, each step as run, skip or unknown with the reason,
    /// what would be pruned; then batches, blockers and the summary line.
    public func renderText() -> String {
        var out = "plan for \(environment) (\(app)): revision \(revision.prefix(12)), artifact sha256:\(digest.prefix(12)), "
            + "recipe fingerprint \(fingerprint.prefix(12))\n"
        if let build {
            if let digest = build.digest {
                out += "build: cached sha256:\(digest.prefix(12)) (\(build.summary)): a push builds nothing\n"
            } else {
                out += "build: would build on the controller (\(build.steps.count) step\(build.steps.count == 1 ? "" : "s")) "
                    + "from the export sha256:\(build.source.prefix(12)), before any host is touched:\n"
                let width = build.steps.map(\.name.count).max() ?? 0
                for step in build.steps {
                    out += "  " + step.name + String(repeating: " ", count: width - step.name.count + 2) + step.command + "\n"
                }
            }
        }
        let joining = changingHosts.joined(separator: ", ")
        switch decision {
        case .newRelease: out += "a push would create release \(release) on " + (fleetHosts == nil ? "every host\n" : "\(scope)\n")
        case .join:
            out += "release \(release) of this revision and recipe already runs on some hosts: a push would give it to "
                + joining + " and leave the others alone" + (fleetHosts == nil ? "\n" : " (\(scope))\n")
        case .alreadyCurrent: out += "every host already runs this revision and recipe: a push would change nothing\n"
        case .unknown: out += "a push would create release \(release)" + (offline ? " (offline: no host contacted)\n" : "\n")
        }
        func column(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        let width = hosts.flatMap { $0.steps.map(\.name.count) }.max() ?? 0
        for host in hosts {
            out += "\n\(host.name) (\(host.roles.joined(separator: ", ")))"
            if let unreachable = host.unreachable {
                out += ": unreachable: \(unreachable)\n"
            } else if offline {
                out += ": current release unknown\n"
            } else {
                out += ": runs \(host.current ?? "no release")"
                    + (host.change == .unchanged ? ", already current\n"
                        : host.current == release ? " unfinished (a run failed or died after its switch) -> \(release) again\n"
                        : " -> \(release)\n")
            }
            if let lock = host.lock { out += "  lock held by \(lock)\n" }
            for step in host.steps {
                let phase = step.phase?.rawValue ?? "-"
                out += "  " + column(step.action.rawValue, 8)
                    + column(phase, 14)
                    + column(step.name, width + 2)
                    + (step.reason ?? "") + "\n"
            }
            if let prune = host.prune, !prune.isEmpty { out += "  prune   " + prune.joined(separator: ", ") + "\n" }
        }
        out += "\nbatches: " + Plan.describe(batches) + "\n"
        out += "switch: " + rollout.text + "\n"
        if let maxParallel {
            out += "max_parallel: " + maxParallel.sorted { $0.key < $1.key }
                .map { "\($0.key) on at most \(Plan.count($0.value)) at once" }.joined(separator: ", ") + "\n"
        }
        for blocker in blockers { out += "blocked: \(blocker)\n" }
        switch decision {
        case .alreadyCurrent: out += "0 hosts would change; nothing has been changed\n"
        case .newRelease, .join:
            out += (fleetHosts.map { "\(changingHosts.count) of \($0) hosts" } ?? Plan.count(changingHosts.count))
                + " would change; nothing has been changed\n"
        case .unknown:
            out += Plan.count(hosts.filter { $0.change == .unknown }.count) + " unknown"
                + (offline ? " (offline)" : "") + "; nothing has been changed\n"
        }
        return out
    }

    /// `3 of 10 hosts (limited with --hosts or --roles)` for a limited plan.
    var scope: String {
        "\(hosts.count) of \(fleetHosts ?? hosts.count) hosts (limited with --hosts or --roles)"
    }

    /// `1 host`, `3 hosts`.
    static func count(_ hosts: Int) -> String { "\(hosts) host" + (hosts == 1 ? "" : "s") }
}
