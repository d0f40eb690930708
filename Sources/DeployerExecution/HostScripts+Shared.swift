import DeployerModel

extension HostScripts {
    /// Makes the directories a file put under `shared/` goes into, and the store its upload lands
    /// in (`runner`), so that the upload can be moved into place with one atomic rename.
    public static func sharedPutSetup(deployTo: String, path: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        let parent = parentDirectory(path).map { "\"$D/shared\"/" + ShellQuote.quote($0) } ?? "\"$D/shared\""
        script.append("mkdir -p \(parent) " + ShellQuote.quote(RemoteLayout(deployTo: deployTo).artifactStore)
            + " || fail 'cannot create the directories under deploy_to' 1")
        return script
    }

    /// Puts the file received with the script (`$U`, see `runner`) at `shared/PATH`: its SHA-256
    /// checked, its mode set, then renamed over the old one (a reader sees the old or the new file,
    /// never a part), and a line added to the host's history. The contents are never printed.
    public static func sharedPut(deployTo: String, path: String, digest: String, mode: String,
                                 historyLine: String) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        let target = "\"$D/shared\"/" + ShellQuote.quote(path)
        script.append(contentsOf: [
            "[ -f \"${U:-}\" ] || fail 'the file did not arrive' 2",
            "a=$(sha256sum <\"$U\") || fail 'reading the file back' 2",
            "[ \"$a\" = \(ShellQuote.quote(digest + "  -")) ] || fail 'the file arrived corrupted (discarded; retry)' 3",
            "[ ! -d \(target) ] || [ -L \(target) ] || fail \(ShellQuote.quote("shared/" + path + " is a directory")) 1",
            "chmod \(ShellQuote.quote(mode)) \"$U\" && mv -f \"$U\" \(target) || fail \(ShellQuote.quote("cannot write shared/" + path)) 1",
            "printf '%s\\n' \(ShellQuote.quote(historyLine)) >>\"$D/.deployer/history.jsonl\" || fail 'cannot write the history' 1",
        ])
        return script
    }
}
