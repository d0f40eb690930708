import DeployerModel

/// `deployer graph ENV --format dot`: Graphviz, one cluster per phase, solid
/// edges for `needs`, dashed edges for the order of phases.
extension TaskGraph {
    /// The graph in Graphviz DOT.
    public func renderDOT() -> String {
        var lines = ["digraph \(Self.quoted(environment)) {", "  rankdir=LR;", "  node [shape=box];"]
        for phase in phases {
            lines.append("  subgraph \(Self.quoted("cluster_" + phase.rawValue)) {")
            lines.append("    label=\(Self.quoted(phase.rawValue));")
            for node in nodes(in: phase) {
                let placement = node.task.local ? "controller" : node.task.once ? "once: \(node.hosts.first ?? "no host")" : "\(node.hosts.count) hosts"
                lines.append("    \(id(node)) [label=\(Self.quoted(node.task.name + "\n" + placement))];")
            }
            lines.append("  }")
        }
        for node in nodes {
            for dependency in node.dependencies { lines.append("  \(Self.quoted(node.task.phase.rawValue + "/" + dependency)) -> \(id(node));") }
        }
        let pushPhases = phases.filter { $0 != .afterRollback && $0 != .onFailure }
        for (from, to) in zip(pushPhases, pushPhases.dropFirst()) {
            if let last = nodes(in: from).last, let first = nodes(in: to).first {
                lines.append("  \(id(last)) -> \(id(first)) [style=dashed];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func id(_ node: Node) -> String { Self.quoted(node.task.phase.rawValue + "/" + node.task.name) }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences("\\", with: "\\\\").replacingOccurrences("\"", with: "\\\"")
            .replacingOccurrences("\n", with: "\\n") + "\""
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
