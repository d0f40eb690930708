import Foundation

/// What a `deployer` run printed, taken apart: its run id, and the message of
/// its summary (the lines after `push failed in 2.1 s`), without timestamps.
struct RunReport: Sendable {
    let run: DeployerRun
    let runID: String?
    /// The release the run chose (`release 20261129T…`), when it got that far.
    let release: String?
    let message: [String]

    init(_ run: DeployerRun) {
        self.run = run
        let lines = run.output.split(separator: "\n").map { line in
            String(line.replacing(#/^\d\d:\d\d:\d\d /#, with: ""))
        }
        runID = lines.lazy.compactMap { $0.firstMatch(of: /\(run ([^)]+)\)/).map { String($0.1) } }.first
        release = lines.lazy.compactMap { $0.firstMatch(of: #/^release (\S+)$/#).map { String($0.1) } }.first
        let summary = lines.lastIndex { $0.contains(#/^(push|rollback|unlock) \S+ in \d/#) }
        message = summary.map { Array(lines[(lines.index(after: $0))...]) } ?? []
    }

    var status: Int32 { run.status }

    /// The message's lines about `host`: those starting `host:` and the indented lines after them,
    /// and the lock note when it names `host`.
    func about(_ host: String) -> String {
        var block: [String] = []
        var inside = false
        for line in message {
            if line.hasPrefix(host + ": ") { inside = true } else if !line.hasPrefix(" ") && !line.hasPrefix("/") { inside = false }
            if inside || (line.contains("could not be released on") && keptLockHosts(in: line).contains(host)) {
                block.append(line)
            }
        }
        return block.joined(separator: "\n")
    }

    /// Whether the run says it stopped before changing anything.
    var changedNothing: Bool { message.contains { $0.contains("nothing was changed on any host") } }

    /// Whether the message says `host`'s lock could not be released (or removed, when taking it failed).
    func saysLockKept(on host: String) -> Bool {
        message.contains { $0.contains("could not be released on") && keptLockHosts(in: $0).contains(host) }
            || about(host).contains("cannot remove '\(FaultBench.deployTo)/.deployer/lock'")
    }

    private func keptLockHosts(in line: String) -> [String] {
        guard let range = line.range(of: "could not be released on ") else { return [] }
        return line[range.upperBound...].prefix { $0 != ";" }.split(separator: ", ").map(String.init)
    }
}
