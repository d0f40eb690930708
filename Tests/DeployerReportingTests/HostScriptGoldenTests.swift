import DeployerExecution
import Testing

/// The scripts a host runs, rendered for fixture values (a deploy_to with a space, a run id with a
/// quote) and compared byte for byte with `Golden/host-scripts/*.sh`: the whole text a host gets,
/// readable in the repository. `Scripts/test` runs shellcheck over these files; here dash and bash
/// both parse each one.
@Suite struct HostScriptGoldenTests {
    static let deployTo = "/srv/my app"
    static let runID = "ann's-run-1"

    /// Each script converted to a template (`Sources/DeployerExecution/Scripts/`), by golden file name.
    static let scripts: [(name: String, script: ShellScript)] = [
        ("probe.sh", HostScripts.probe(deployTo: deployTo)),
        ("unlock.sh", HostScripts.unlock(deployTo: deployTo, runID: runID)),
        ("heartbeat.sh", HostScripts.heartbeat(deployTo: deployTo, runID: runID)),
    ]

    @Test(arguments: scripts.map(\.name))
    func renderedScriptMatchesItsGoldenFile(name: String) throws {
        let script = try #require(Self.scripts.first { $0.name == name }?.script)
        try Golden.check(script.text, "host-scripts/" + name)
    }

    @Test(arguments: scripts.map(\.name), ["/usr/bin/dash", "/usr/bin/bash"])
    func renderedScriptParses(name: String, shell: String) async throws {
        let script = try #require(Self.scripts.first { $0.name == name }?.script)
        let result = try await ProcessRunner.run(shell, ["-n"], stdin: Array(script.text.utf8))
        #expect(result.status == 0, "\(shell) -n \(name): \(String(decoding: result.stderr, as: UTF8.self))")
    }
}
