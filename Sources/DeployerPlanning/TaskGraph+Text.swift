import DeployerModel

/// `deployer graph ENV` (text): tasks by phase with where they run, then each host's task list.
extension TaskGraph {
    /// Tasks by phase with where they run, then each host's tasks in order.
    public func renderText() -> String {
        var lines = ["\(environment): \(hosts.count) host\(hosts.count == 1 ? "" : "s"), \(nodes.count) task\(nodes.count == 1 ? "" : "s")"]
        let width = nodes.map(\.task.name.count).max() ?? 0
        for phase in phases {
            lines.append("")
            lines.append(phase.rawValue)
            for node in nodes(in: phase) {
                var line = "  " + node.task.name.padding(to: width) + "  " + placementDescription(node)
                if !node.task.needs.isEmpty { line += "  needs " + node.task.needs.joined(separator: ", ") }
                lines.append(line)
            }
        }
        if !hosts.isEmpty {
            lines.append("")
            lines.append("per host")
            let hostWidth = hosts.map(\.name.count).max() ?? 0
            for host in hosts {
                let tasks = tasks(on: host.name).map(\.name)
                lines.append("  " + host.name.padding(to: hostWidth) + "  [" + host.roles.joined(separator: ", ") + "]  "
                             + (tasks.isEmpty ? "(no tasks)" : tasks.joined(separator: ", ")))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func placementDescription(_ node: Node) -> String {
        let roles = node.task.roles.isEmpty ? "all roles" : node.task.roles.joined(separator: ", ")
        switch node.placement {
        case .controller: return "on the controller"
        case let .hosts(names) where names.isEmpty: return "no host has \(roles)"
        case let .hosts(names) where node.task.once: return "once on \(names[0]) (\(roles))"
        case let .hosts(names):
            let shown = names.count > 4 ? names.prefix(3).joined(separator: ", ") + ", … (\(names.count) hosts)" : names.joined(separator: ", ")
            return "\(shown) (\(roles))"
        }
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
