import DeployerModel

extension HostScripts {
    /// Makes the directories a file put under `shared/` goes into, and the store its upload lands
    /// in (`runner`), so that the upload can be moved into place with one atomic rename
    /// (`Scripts/sharedPutSetup.sh`).
    public static func sharedPutSetup(deployTo: String, path: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.sharedPutSetup, values: [
            "shared_parent": parentDirectory(path) ?? "", "artifact_store": RemoteLayout(deployTo: deployTo).artifactStore,
        ])
        return script
    }

    /// Puts the file received with the script (`$upload`, see `runner`) at `shared/PATH`: its SHA-256
    /// checked, its mode set, then renamed over the old one (a reader sees the old or the new file,
    /// never a part), and a line added to the host's history. The contents are never printed
    /// (`Scripts/sharedPut.sh`).
    public static func sharedPut(deployTo: String, path: String, digest: String, mode: String,
                                 historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.sharedPut, values: [
            "shared_path": path, "digest": digest, "mode": mode, "history_line": historyLine,
        ])
        return script
    }
}
