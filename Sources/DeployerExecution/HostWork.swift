import DeployerModel
import DeployerPlanning

/// Everything one host does for a release, rendered before the first change:
/// a template error stops the run while the fleet is untouched.
struct HostWork: Sendable {
    var envs: [HostScripts.EnvBuild]
    var prepare: [ScriptTask]
    var beforeSwitch: [ScriptTask]
    var afterSwitch: [ScriptTask]
    var afterFleet: [ScriptTask] = []
    var afterRollback: [ScriptTask]
    var onFailure: [ScriptTask] = []

    /// The tasks of later phases whose `check` the prepare script answers, by phase.
    var checks: [Phase: [ScriptTask]] {
        [.beforeSwitch: beforeSwitch.filter { $0.check != nil }, .afterFleet: afterFleet.filter { $0.check != nil }]
            .filter { !$0.value.isEmpty }
    }

    /// Renders the work of every host; `artifact` is nil for a rollback (no envs to build).
    static func render(_ renderer: TaskRenderer, artifact: Artifact?) throws(TaskRenderer.UndefinedName) -> [String: HostWork] {
        let environment = renderer.environment
        let graph = TaskGraph(environment)
        var work: [String: HostWork] = [:]
        for host in environment.hosts {
            var envs: [HostScripts.EnvBuild] = []
            if let artifact {
                for env in environment.dependencyEnvs {
                    guard let key = artifact.envKeys[env.name] else { continue }
                    envs.append(HostScripts.EnvBuild(key: key, build: try renderer.renderBuild(env, key: key, for: host),
                                                         timeoutSeconds: env.timeoutSeconds))
                }
            }
            func tasks(_ phase: Phase) throws(TaskRenderer.UndefinedName) -> [ScriptTask] {
                var rendered: [ScriptTask] = []
                for task in graph.tasks(on: host.name, in: phase) {
                    rendered.append(try renderer.render(task, for: host))
                }
                return rendered
            }
            work[host.name] = HostWork(envs: envs, prepare: try tasks(.prepare), beforeSwitch: try tasks(.beforeSwitch),
                                       afterSwitch: try tasks(.afterSwitch), afterFleet: try tasks(.afterFleet),
                                       afterRollback: try tasks(.afterRollback), onFailure: try tasks(.onFailure))
        }
        return work
    }
}
