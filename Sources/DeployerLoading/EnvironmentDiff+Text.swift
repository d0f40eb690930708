/// The text `deployer diff A B` prints.
extension EnvironmentDiff {
    /// One line per difference (`[drift]` marks undeclared ones), then a verdict.
    public func renderText() -> String {
        guard !differences.isEmpty else { return "\(left) and \(right) resolve alike (apart from their names)\n" }
        var lines = ["\(left) → \(right)"]
        let width = differences.map { $0.aspect.rawValue.count + $0.item.count + 1 }.max() ?? 0
        for d in differences {
            let label = "\(d.aspect.rawValue) \(d.item)"
            lines.append("  " + label + String(repeating: " ", count: width - label.count) + "  \(d.left) → \(d.right)"
                         + (d.declared ? "" : "   [drift]"))
        }
        let drift = differences.filter { !$0.declared }.count
        lines.append(drift == 0 ? "only declared differences (hosts, vars)"
                                : "\(drift) undeclared difference\(drift == 1 ? "" : "s") (drift)")
        return lines.joined(separator: "\n") + "\n"
    }
}
