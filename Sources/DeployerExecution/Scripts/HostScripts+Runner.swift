import DeployerModel

extension HostScripts {
    /// The command a script that comes with a file (the prepare script and its artifact, a file put
    /// under `shared/`) runs under, the same text on every host and every push, so that it can be
    /// started on a spare channel while the lock script runs (`Scripts/runner.sh`: the file lands in
    /// `$upload`, which the script checks and moves into place).
    public static func runner(deployTo: String) -> String {
        HostScriptTemplate.render(HostScriptTemplate.runner, values: [
            "artifact_store": RemoteLayout(deployTo: deployTo).artifactStore,
        ]).joined(separator: "\n")
    }

    /// `runner`'s standard input: `file` (of `bytes` bytes), then the script.
    static func runnerInput(script: String, file: (path: String, bytes: Int)) -> [CommandInput] {
        [.bytes(Array("\(file.bytes)\n".utf8)), .file(path: file.path), .bytes(Array(script.utf8))]
    }
}
