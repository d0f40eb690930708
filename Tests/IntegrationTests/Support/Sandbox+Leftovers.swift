import Foundation
import Testing

extension Sandbox {
    /// Waits until deployer has left nothing behind on the controller: no `ssh` process for these
    /// hosts (masters included) and nothing in its runtime directory (no socket, no directory).
    func expectNothingLeftBehind(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        var left: [String] = []
        do {
            try await waitFor(seconds: 10) {
                left = sshProcesses() + ((try? FileManager.default.contentsOfDirectory(atPath: runtimeDirectory)) ?? [])
                return left.isEmpty
            }
        } catch {
            Issue.record("left behind: \(left)", sourceLocation: sourceLocation)
        }
    }

    /// The command lines of the controller's processes that name this sandbox's ssh_config.
    func sshProcesses() -> [String] {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.first.map { ($0 as NSString).lastPathComponent == "ssh" } == true && words.contains(sshConfig)
                ? words.joined(separator: " ") : nil
        }
    }
}
