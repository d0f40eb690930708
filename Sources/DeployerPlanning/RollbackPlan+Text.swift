import DeployerModel

extension RollbackPlan {
    /// The plan as `deployer plan ENV --rollback` prints it: what the rollback would do as a whole, where each
    /// host is and goes, then the irreversible work it goes past and whether that stops it.
    public func renderText() -> String {
        let to = target ?? "?"
        var out = "rollback plan for \(environment)" + (requested.map { " --to \($0)" } ?? "") + "\n"
        switch decision {
        case .rollBack:
            out += "a rollback would switch \(switchingHosts.count) of \(hosts.count) host\(hosts.count == 1 ? "" : "s") to \(to)"
                + (requested == nil ? " (where they were before their last change)\n" : "\n")
        case .alreadyCurrent: out += "every host already runs \(to): a rollback would change nothing\n"
        case .refused: out += "a rollback would be refused (exit 1): \(refusal ?? "")\n"
        case .pastIrreversible:
            out += "a rollback to \(to) would be refused (exit 2): it goes past irreversible work; "
                + "--past-irreversible rolls back anyway\n"
        case .unknown: out += "not known: \(refusal ?? "")\n"
        }
        for host in hosts {
            out += "\n\(host.name): "
            if let unreachable = host.unreachable {
                out += "unreachable: \(unreachable)\n"
            } else if host.switches {
                out += "runs \(host.current ?? "no release") -> \(to)\n"
            } else {
                out += "runs \(host.current ?? "no release")" + (target == nil ? "\n" : ", already there\n")
            }
        }
        if !irreversible.isEmpty {
            out += "\nirreversible work past \(to) (what it changed stays changed):\n"
                + irreversible.map { "  \($0.sentence)\n" }.joined()
            if decision == .pastIrreversible, let refusal { out += "\n" + refusal + "\n" }
            if decision == .rollBack, pastIrreversible { out += "--past-irreversible: the rollback goes past it\n" }
        }
        return out
    }
}
