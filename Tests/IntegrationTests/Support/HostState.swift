import Foundation

/// What one host holds under `deploy_to`, read as root from its filesystem
/// view: what the fault matrix checks after every cell.
struct HostState: Sendable, Equatable {
    /// The release `current` points at.
    var current: String?
    /// Whether that release's marker names it (written last: the release is complete).
    var currentIsComplete: Bool
    /// Names, types, sizes and contents of everything under `shared/`.
    var shared: String
    var locked: Bool
    /// The last line of `.deployer/history.jsonl`.
    var lastHistory: HistoryLine?
    /// The release `.deployer/finished` names: the last one whose run finished on this host.
    var finished: String?

    /// The fields of a history line the matrix checks.
    struct HistoryLine: Sendable, Equatable {
        var action: String
        var result: String
        var runID: String
    }

    static func read(_ host: String, in sandbox: Sandbox) async throws -> HostState {
        let d = FaultBench.deployTo
        let text = try await sandbox.root(host, """
            cd \(d) || exit 1
            c=$(readlink current) && id=${c##*/} && echo "current $id" \
              && grep -q "\\"release\\":[^,]*\\"$id\\"" "releases/$id/.deployer-release.json" 2>/dev/null && echo complete
            [ -d .deployer/lock ] && echo locked
            [ -s .deployer/finished ] && echo "finished $(cat .deployer/finished)"
            printf 'history %s\\n' "$(tail -n 1 .deployer/history.jsonl 2>/dev/null)"
            cd shared && find . -printf 'shared %p %y %s\\n' | sort && find . -type f -exec sha256sum {} + | sort | sed 's/^/shared /'
            """)
        var state = HostState(current: nil, currentIsComplete: false, shared: "", locked: false, lastHistory: nil)
        for line in text.split(separator: "\n").map(String.init) {
            let (word, rest) = line.firstIndex(of: " ").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
                ?? (line, "")
            switch word {
            case "current": state.current = rest
            case "complete": state.currentIsComplete = true
            case "locked": state.locked = true
            case "finished": state.finished = rest
            case "history": state.lastHistory = HistoryLine(json: rest)
            default: state.shared += line + "\n"
            }
        }
        return state
    }
}

extension HostState.HistoryLine {
    init?(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let action = object["action"] as? String, let result = object["result"] as? String,
              let origin = object["origin"] as? [String: Any], let runID = origin["runID"] as? String
        else { return nil }
        self.init(action: action, result: result, runID: runID)
    }
}
