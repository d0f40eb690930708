import DeployerModel
import DeployerPlanning

extension HostScripts {
    /// What one host needs to prepare a release; all values rendered for that host.
    public struct PrepareInput: Hashable, Sendable {
        public var release: ReleaseID
        public var digest: String
        public var shared: SharedPaths
        public var envs: [EnvBuild]
        public var tasks: [ScriptTask]
        /// The tasks of later phases this host runs whose `check` answers at the end of prepare.
        public var checks: [Phase: [ScriptTask]]
        /// The `ReleaseMarker` as one line of JSON, written last.
        public var markerJSON: String
        /// The artifact comes with the script (in `$U`, see `runner`) rather than from the store.
        public var receivesArtifact: Bool
        /// Written to the release's `REVISION` file (the full commit id), as Capistrano does; none when empty.
        public var revision: String
        /// Written to `REVISION_TIME` (the commit's Unix time), when known.
        public var revisionTime: Int?

        public init(release: ReleaseID, digest: String, shared: SharedPaths, envs: [EnvBuild],
                    tasks: [ScriptTask], markerJSON: String, receivesArtifact: Bool = false, revision: String = "",
                    revisionTime: Int? = nil, checks: [Phase: [ScriptTask]] = [:]) {
            self.release = release; self.digest = digest; self.shared = shared
            self.envs = envs; self.tasks = tasks; self.markerJSON = markerJSON; self.receivesArtifact = receivesArtifact
            self.revision = revision; self.revisionTime = revisionTime; self.checks = checks
        }
    }

    /// A dependency environment and its rendered build command.
    public struct EnvBuild: Hashable, Sendable {
        public var key: EnvKey
        public var build: String
        public var timeoutSeconds: Double?
        public init(key: EnvKey, build: String, timeoutSeconds: Double? = nil) {
            self.key = key; self.build = build; self.timeoutSeconds = timeoutSeconds
        }
    }

    /// The whole prepare phase on one host in one script: check the artifact's SHA-256 (the copy
    /// received with the script, then kept in the store; or the one kept there by an earlier
    /// push), refuse to go on when a shared file is missing, extract it into a new release, link shared paths, build or reuse environments, run
    /// prepare tasks, and write the marker last. Nothing outside `releases/ID`, `shared/`, `envs/`
    /// and `.deployer/` changes.
    public static func prepare(deployTo: String, _ input: PrepareInput) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        let digest = ShellQuote.quote(input.digest)
        appendReleaseDirectories(input.release, to: &script)
        // Every directory in one mkdir: each process started costs a host with many releases and many peers.
        let parents = (input.shared.dirs + input.shared.files).compactMap(parentDirectory)
        let directories = ["\"$D/envs\"", "\"$D/shared\"", "\"$L\""]
            + input.shared.dirs.map { "\"$D/shared\"/" + ShellQuote.quote($0) }
            + input.shared.files.compactMap(parentDirectory).map { "\"$D/shared\"/" + ShellQuote.quote($0) }
            + Set(parents).sorted().map { "\"$R\"/" + ShellQuote.quote($0) }
        script.append("A=\"$D/.deployer/artifacts\"/\(digest).tar.gz")
        let sha256 = ShellQuote.quote(input.digest + "  -")
        if input.receivesArtifact {
            script.append(contentsOf: [
                "[ -f \"${U:-}\" ] || fail 'the artifact did not arrive' 2",
                "a=$(sha256sum <\"$U\") || fail 'reading the artifact back' 2",
                "[ \"$a\" = \(sha256) ] || { echo \"SHA-256 on the host: ${a%% *}\" >&2; "
                    + "fail 'the artifact arrived corrupted (discarded; retry, and if it happens again check the disk and memory of the host)' 3; }",
                "mv -f \"$U\" \"$A\" || fail 'storing the artifact' 1",
                "m uploaded",
            ])
        } else {
            script.append(contentsOf: [
                "[ -f \"$A\" ] || fail 'artifact missing on host' 1",
                // Verified again right before extraction: a copy uploaded by an earlier run may have changed since.
                "[ \"$(sha256sum <\"$A\")\" = \(sha256) ] "
                    + "|| { rm -f \"$A\"; fail 'artifact SHA-256 mismatch (the copy on this host changed since its upload; removed)' 1; }",
            ])
        }
        if !input.shared.files.isEmpty {
            // Checked before anything is extracted: a missing file would otherwise be linked as a dangling or empty file.
            script.append(contentsOf: [
                "x=''; for f in \(input.shared.files.map(ShellQuote.quote).joined(separator: " ")); do "
                    + "[ -e \"$D/shared/$f\" ] || x=\"$x${x:+, }$D/shared/$f\"; done",
                "[ -z \"$x\" ] || fail \"\(missingSharedFiles) $x\" 1",
            ])
        }
        script.append(contentsOf: [
            "[ ! -e \"$R\" ] || rm -rf \"$R\" || fail setup 1",
            "mkdir -p " + directories.joined(separator: " ") + " || fail setup 1",
            "tar -xzf \"$A\" -C \"$R\" 2>\"$D/.deployer/extract.log\" || fail extract $? \"$D/.deployer/extract.log\"",
            // A kept artifact's mtime says it is in use (the cache prune spares the young); one just received is new.
            (input.receivesArtifact ? "" : "touch \"$A\"; ")
                + "printf '%s\\n' \(digest) >\"$R/\(RemoteLayout.artifactDigestFile)\" || fail extract 1",
        ])
        // What Capistrano writes and many apps read: the commit id and its time, one line each.
        for (file, value) in [("REVISION", input.revision), ("REVISION_TIME", input.revisionTime.map(String.init) ?? "")]
            where !value.isEmpty {
            script.append("printf '%s\\n' \(ShellQuote.quote(value)) >\"$R/\(file)\" || fail extract 1")
        }
        for path in input.shared.dirs + input.shared.files {
            let quoted = ShellQuote.quote(path)
            script.append("{ [ ! -e \"$R\"/\(quoted) ] && [ ! -L \"$R\"/\(quoted) ] || rm -rf \"$R\"/\(quoted); } "
                + "&& ln -s \(ShellQuote.quote(relativeToReleaseEntry(path) + "shared/" + path)) \"$R\"/\(quoted) "
                + "|| fail \(ShellQuote.quote("link shared " + path)) 1")
        }
        for env in input.envs {
            let name = ShellQuote.quote(env.key.name)
            let directory = ShellQuote.quote(env.key.directoryName)
            let taskName = ShellQuote.quote("env:" + env.key.name)
            let log = "\"$L\"/" + ShellQuote.quote("env-" + env.key.name + ".log")
            script.append(contentsOf: [
                "E=\"$D/envs\"/\(directory)",
                "if [ -f \"$D/envs/.\"\(directory).complete ]; then m env \(name) \"$E\" reused",
                "else",
                "  rm -rf \"$E\" && mkdir -p \"$E\" || fail \(taskName) 1",
                "  m task-start prepare \(taskName)",
                "  ( cd \"$R\" && exec \(timeoutPrefix(env.timeoutSeconds))\(ShellScript.commandShell) \(ShellQuote.quote(env.build)) ) </dev/null >\(log) 2>&1; st=$?",
                "  m task-end prepare \(taskName) $st",
                // A failed build's directory is removed at once: it is never reused, and may be large.
                "  [ $st -eq 0 ] || { rm -rf \"$E\"; m pruned-env \(directory); fail \(taskName) $st \(log); }",
                "  : >\"$D/envs/.\"\(directory).complete; m env \(name) \"$E\" built",
                "fi",
                "rm -rf \"$R\"/\(name) && ln -s ../../envs/\(directory) \"$R\"/\(name) || fail \(taskName) 1",
            ])
        }
        appendTasks(input.tasks, phase: .prepare, to: &script)
        appendChecks(input.checks, to: &script)
        script.append(contentsOf: [
            "printf '%s\\n' \(ShellQuote.quote(input.markerJSON)) >\"$R/\(RemoteLayout.releaseMarkerFile).tmp\" "
                + "&& mv -f \"$R/\(RemoteLayout.releaseMarkerFile).tmp\" \"$R/\(RemoteLayout.releaseMarkerFile)\" "
                + "|| fail 'write release marker' 1",
            "m prepared \(ShellQuote.quote(input.release.rawValue))",
        ])
        return script
    }

    /// How the prepare script's failure starts when shared files are missing (followed by their paths).
    public static let missingSharedFiles = "missing shared file(s):"

    /// The directory part of a relative path (`a/b` for `a/b/c`), nil at the top level.
    static func parentDirectory(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// `../` steps from the directory holding `releases/ID/PATH` up to `deploy_to`,
    /// so links stay relative (valid in a chroot or another mount point).
    static func relativeToReleaseEntry(_ path: String) -> String {
        let depth = path.split(separator: "/").count
        return String(repeating: "../", count: depth + 1)
    }
}
