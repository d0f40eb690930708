import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// The maintenance script run locally under dash and bash: on makes the flag file and records who
/// turned it on; off removes both, and twice is harmless; a recipe's command replaces the flag.
@Suite struct MaintenanceScriptTests {
    static let state = MaintenanceState(since: "2026-12-03T12:00:00Z", by: "ann", runID: "r1")

    static func run(_ script: ShellScript, shell: String) async throws -> Int32 {
        try await ProcessRunner.run(shell, ["-s"], stdin: Array(script.text.utf8)).status
    }

    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func onMakesTheFlagAndOffRemovesIt(shell: String) async throws {
        let deployTo = NSTemporaryDirectory() + "deployer maintenance " + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: deployTo) }
        let files = FileManager.default
        #expect(try await Self.run(HostScripts.maintenance(deployTo: deployTo, on: Self.state, command: nil), shell: shell) == 0)
        #expect(files.fileExists(atPath: deployTo + "/shared/maintenance.on"))
        let recorded = try String(contentsOfFile: deployTo + "/.deployer/maintenance", encoding: .utf8)
        #expect(recorded.contains("\"by\":\"ann\"") && recorded.hasSuffix("}\n"))
        for _ in 1...2 {
            #expect(try await Self.run(HostScripts.maintenance(deployTo: deployTo, on: nil, command: nil), shell: shell) == 0)
            #expect(!files.fileExists(atPath: deployTo + "/shared/maintenance.on"))
            #expect(!files.fileExists(atPath: deployTo + "/.deployer/maintenance"))
        }
    }

    @Test(arguments: ["/usr/bin/dash", "/usr/bin/bash"])
    func aRecipesCommandRunsInDeployToInsteadOfTheFlag(shell: String) async throws {
        let deployTo = NSTemporaryDirectory() + "deployer maintenance " + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: deployTo) }
        try FileManager.default.createDirectory(atPath: deployTo, withIntermediateDirectories: true)
        #expect(try await Self.run(HostScripts.maintenance(deployTo: deployTo, on: Self.state, command: "echo \"on 'now'\" >state"),
                                   shell: shell) == 0)
        #expect(try String(contentsOfFile: deployTo + "/state", encoding: .utf8) == "on 'now'\n")
        #expect(!FileManager.default.fileExists(atPath: deployTo + "/shared/maintenance.on"))
        let failing = HostScripts.maintenance(deployTo: deployTo, on: nil, command: "echo broken; exit 3")
        #expect(try await Self.run(failing, shell: shell) == 3)
        #expect(FileManager.default.fileExists(atPath: deployTo + "/.deployer/maintenance"), "a failed command leaves the record")
    }
}
