import DeployerExecution
import DeployerModel
import Foundation

/// A small app in a temporary directory, deployed as a `dir:` source.
struct Fixture {
    let source: String
    let cache: String

    init() throws {
        let base = NSTemporaryDirectory() + "deployer-app-" + UUID().uuidString
        source = base + "/app"
        cache = base + "/cache"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try write("app.txt", "version 1\n")
        try write("requirements.txt", "flask==3.0\n")
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: source + "/" + path, atomically: true, encoding: .utf8)
    }

    func environment(hosts: [String], deployTo: String, tasks: [ResolvedTask] = [], keep: Int = 3,
                     envs: [DependencyEnv] = [], shared: SharedPaths = SharedPaths(dirs: ["logs"]))
        -> ResolvedEnvironment {
        ResolvedEnvironment(app: "demo", name: "staging", deployTo: deployTo, keepReleases: keep,
                            source: .dir(path: source), shared: shared,
                            hosts: hosts.map { FleetHost(address: HostAddress(parsing: $0)!, roles: ["web"]) },
                            dependencyEnvs: envs, tasks: tasks, fingerprint: "fp1")
    }

    func request(_ environment: ResolvedEnvironment, force: Bool = false, time: Int = 1_795_923_900) -> PushRequest {
        let builder = ArtifactBuilder(cacheDirectory: cache)
        let source = environment.source
        let envs = environment.dependencyEnvs
        return PushRequest(revision: nil, artifact: Task { try await builder.build(source: source, commit: nil, envs: envs) },
                           force: force, origin: RunOrigin(who: "tester@ci", command: "deployer push staging",
                                                           runID: Executor.newRunID()),
                           unixTime: time, buildCache: ArtifactCache(directory: cache))
    }

    static func task(_ name: String, _ phase: Phase, _ command: String, once: Bool = false,
                     creates: String? = nil) throws -> ResolvedTask {
        ResolvedTask(name: name, phase: phase, once: once, run: try Template(parsing: command),
                     creates: try creates.map { try Template(parsing: $0) })
    }
}
