import DeployerModel

extension HostScripts {
    /// The command a script that comes with a file (the prepare script and its artifact) runs
    /// under, the same text on every host and every push, so that it can be started on a spare
    /// channel while the lock script runs. Standard input is a line with a byte count, that many
    /// bytes of the file, then the script, which this shell reads to the end
    /// (`. /dev/stdin`: no second shell started, when standard input is a pipe, as from sshd; else `sh -s`).
    /// The file (none is `0`) is read with `head -c`,
    /// which never reads past it, into `$U` in the artifact store; the script checks it and moves
    /// it into place, and whatever is left of it is removed when the script ends.
    public static func runner(deployTo: String) -> String {
        let incoming = ShellQuote.quote(RemoteLayout(deployTo: deployTo).artifactStore + "/") + "incoming.deployer-upload.$$"
        return "IFS= read -r n || exit 2; case $n in ''|*[!0-9]*) exit 2 ;; 0) ;; *) "
            + "U=\(incoming); export U; trap '[ ! -e \"$U\" ] || rm -f \"$U\"' EXIT; "
            + "(umask 077; exec head -c \"$n\" >\"$U\") || { echo '::deployer failed writing the artifact 2'; exit 2; } ;; "
            + "esac; if [ -p /dev/stdin ]; then . /dev/stdin; else sh -s; fi"
    }

    /// `runner`'s standard input: `file` (of `bytes` bytes), then the script.
    static func runnerInput(script: String, file: (path: String, bytes: Int)) -> [CommandInput] {
        [.bytes(Array("\(file.bytes)\n".utf8)), .file(path: file.path), .bytes(Array(script.utf8))]
    }
}
