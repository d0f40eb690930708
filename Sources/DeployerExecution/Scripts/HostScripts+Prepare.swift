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
        /// The artifact comes with the script (in `$upload`, see `runner`) rather than from the store.
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

    /// The whole prepare phase on one host in one script (`Scripts/prepare.sh`): check the artifact's
    /// SHA-256 (the copy received with the script, then kept in the store; or the one kept there by an
    /// earlier push), refuse to go on when a shared file is missing, extract it into a new release, link
    /// shared paths, build or reuse environments, run prepare tasks and checks, and write the marker last
    /// (`Scripts/lines.sh` first: its `next_line` takes the lists of shared paths apart).
    /// Nothing outside `releases/ID`, `shared/`, `envs/` and `.deployer/` changes.
    public static func prepare(deployTo: String, _ input: PrepareInput) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.lines)
        script.append(template: HostScriptTemplate.prepare, values: [
            "release": input.release.rawValue, "digest": input.digest, "receives_artifact": input.receivesArtifact ? "1" : "0",
            "shared_dirs": input.shared.dirs.joined(separator: "\n"), "shared_files": input.shared.files.joined(separator: "\n"),
            "revision": input.revision, "revision_time": input.revisionTime.map(String.init) ?? "", "marker_json": input.markerJSON,
        ])
        for env in input.envs {
            script.append(ShellQuote.join(["build_environment", env.key.name, env.key.directoryName,
                                           timeoutSeconds(env.timeoutSeconds), env.build]))
        }
        appendTasks(input.tasks, phase: .prepare, to: &script)
        appendChecks(input.checks, to: &script)
        script.append("write_release_marker")
        return script
    }

    /// How the prepare script's failure starts when shared files are missing (followed by their paths).
    public static let missingSharedFiles = "missing shared file(s):"

    /// The directory part of a relative path (`a/b` for `a/b/c`), nil at the top level.
    static func parentDirectory(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }
}
