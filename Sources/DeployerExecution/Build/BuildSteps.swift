import Checksums
import DeployerModel
import DeployerPlanning

/// The build steps of an environment for one revision, in `needs` order, and what they run with.
/// Vars reach a step through its templates (`{{ var }}` in `run` or `env:`), so the rendered text
/// holds every value a step uses; the secrets its templates name are exported to it as environment
/// variables (the command holds references, never the values). Its `fingerprint` (with the source
/// tree) keys the built artifact in the controller's cache, so staging and prod share a build
/// unless a step uses a value that differs between them.
public struct BuildSteps: Sendable {
    public var steps: [BuildStep]
    /// The secrets the steps' templates name, by name, exported to every step.
    public var variables: [String: String]
    /// SHA-256 (hex) of the steps' names, rendered commands, `env:`, outputs and the values of the
    /// secrets they name: everything in the recipe that may change what the steps make from the same
    /// tree. Not the controller's own environment or tools: a new compiler does not invalidate the cache.
    public var fingerprint: String

    /// The variable that holds, in a step with a `host_probe`, what every host answered to it.
    public static let hostProbeVariable = "DEPLOYER_HOST_PROBE"

    /// The `local: true` tasks of `environment`, rendered for `revision`; `secrets` by name. `hostAnswers`
    /// (by step name) is what the hosts answered to the steps' `host_probe`: exported to the step as
    /// `DEPLOYER_HOST_PROBE` and part of the fingerprint, so hosts that answer otherwise get a build of their own.
    public init(environment: ResolvedEnvironment, revision: String, secrets: [String: String],
                hostAnswers: [String: String] = [:]) throws(TaskRenderer.UndefinedName) {
        var values = environment.vars
        values["app"] = environment.app
        values["env"] = environment.name
        values["revision"] = revision
        let references = Set(environment.secrets)
        func fill(_ template: Template, _ task: ResolvedTask, _ what: String, asWord: Bool = false) throws(TaskRenderer.UndefinedName) -> String {
            do {
                return try asWord ? template.renderWord(values, environmentReferences: references)
                    : template.render(values, environmentReferences: references)
            } catch {
                throw TaskRenderer.UndefinedName(name: error.name, context: "build step '\(task.name)' \(what) "
                    + "(a build step may use the recipe's vars, secrets, app, env and revision)", location: task.location)
            }
        }
        var steps: [BuildStep] = []
        var named = Set<String>()
        for task in TaskSorter.sort(environment.tasks).tasks where task.local {
            for template in [task.run] + Array(task.env.values) + Array(task.hostProbe.map { [$0] } ?? []) {
                named.formUnion(template.variables)
            }
            var environmentValues: [(key: String, value: String)] = []
            for (key, template) in task.env.sorted(by: { $0.key < $1.key }) {
                environmentValues.append((key, try fill(template, task, "env \(key)", asWord: true)))
            }
            if let answer = hostAnswers[task.name] {
                environmentValues.append((Self.hostProbeVariable, ShellQuote.quote(answer)))
            }
            steps.append(BuildStep(name: task.name, command: try fill(task.run, task, "run"), environment: environmentValues,
                                   timeoutSeconds: task.timeoutSeconds, outputs: task.outputs,
                                   hostProbe: try task.hostProbe.map { template throws(TaskRenderer.UndefinedName) in
                                       try fill(template, task, "host_probe")
                                   }, location: task.location))
        }
        self.steps = steps
        var variables: [String: String] = [:]
        for name in environment.secrets where named.contains(name) { variables[name] = secrets[name] ?? "" }
        self.variables = variables
        var digest = SHA256()
        func add(_ field: String, _ value: String) { digest.update(Array("\(field) \(value.utf8.count) \(value)\n".utf8)) }
        add("schema", "1")
        for step in steps {
            add("step", step.name)
            add("run", step.command)
            for entry in step.environment { add("env", entry.key + "=" + entry.value) }
            for output in step.outputs { add("output", output) }
        }
        for name in variables.keys.sorted() { add("secret", name + "=" + variables[name]!) }
        fingerprint = SHA256.hex(digest.finalize())
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// The steps that ask the hosts something before the build (`host_probe`).
    public var probing: [BuildStep] { steps.filter { $0.hostProbe != nil } }

    /// What the artifact holds: the paths the steps declare (in order, once each), or nil for the whole export.
    public var outputs: [String]? {
        var seen = Set<String>()
        let all = steps.flatMap(\.outputs).filter { seen.insert($0).inserted }
        return all.isEmpty ? nil : all
    }
}
