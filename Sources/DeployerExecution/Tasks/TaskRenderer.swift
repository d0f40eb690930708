import DeployerModel
import DeployerPlanning

/// Fills a release's templates for one host: the recipe's vars plus the
/// built-in names (`release`, `release_id`, `revision`, `deploy_to`,
/// `shared`, `current`, `app`, `env`, `host`, `role`), quoted by `Template`.
public struct TaskRenderer: Sendable {
    public var environment: ResolvedEnvironment
    public var release: ReleaseID
    public var revision: String

    public init(environment: ResolvedEnvironment, release: ReleaseID, revision: String) {
        self.environment = environment; self.release = release; self.revision = revision
    }

    /// A template used a name that is neither a var nor a built-in.
    public struct UndefinedName: Error, Hashable, Sendable, CustomStringConvertible {
        public var name: String
        public var context: String
        public var location: SourceLocation?
        public var description: String {
            (location.map { "\($0): " } ?? "") + "error: undefined variable '\(name)' in \(context)"
        }
    }

    public func variables(for host: FleetHost, roles: [String]) -> [String: String] {
        let layout = RemoteLayout(deployTo: environment.deployTo)
        var values = environment.vars
        values["app"] = environment.app
        values["env"] = environment.name
        values["host"] = host.name
        values["role"] = roles.first { host.roles.contains($0) } ?? host.roles.first ?? ""
        values["release"] = layout.release(release)
        values["release_id"] = release.rawValue
        values["revision"] = revision
        values["deploy_to"] = environment.deployTo
        values["shared"] = layout.shared
        values["current"] = layout.current
        return values
    }

    /// `task` rendered for `host`.
    public func render(_ task: ResolvedTask, for host: FleetHost) throws(UndefinedName) -> ScriptTask {
        let values = variables(for: host, roles: task.roles)
        func fill(_ template: Template, _ what: String, asWord: Bool = false) throws(UndefinedName) -> String {
            try substitute(template, values, context: "task '\(task.name)' \(what)", location: task.location, asWord: asWord)
        }
        // Each value is one shell word whose expansion is the value (a secret's reference expands to the secret).
        var environmentValues: [(key: String, value: String)] = []
        for (key, template) in task.env.sorted(by: { $0.key < $1.key }) {
            environmentValues.append((key, try fill(template, "env \(key)", asWord: true)))
        }
        return ScriptTask(name: task.name, command: try fill(task.run, "run"),
                          creates: try task.creates.map { t throws(UndefinedName) in try fill(t, "creates") },
                          unless: try task.unless.map { t throws(UndefinedName) in try fill(t, "unless") },
                          onlyIf: try task.onlyIf.map { t throws(UndefinedName) in try fill(t, "only_if") },
                          readOnlyGuards: task.readOnlyGuards,
                          environment: environmentValues, timeoutSeconds: task.timeoutSeconds,
                          irreversible: task.irreversible,
                          check: try task.check.map { t throws(UndefinedName) in try fill(t, "check") })
    }

    /// The build command of `env` for `host`, with `env_dir` its directory for `key`.
    public func renderBuild(_ env: DependencyEnv, key: EnvKey, for host: FleetHost) throws(UndefinedName) -> String {
        var values = variables(for: host, roles: [])
        values["env_dir"] = RemoteLayout(deployTo: environment.deployTo).envDirectory(key)
        return try substitute(env.build, values, context: "envs.\(env.name).build", location: env.location)
    }

    /// `template` filled with `values`; each secret becomes a reference to the
    /// shell variable the host script exports (see `Template.render`).
    /// With `asWord`, the result is one shell word (see `Template.renderWord`).
    func substitute(_ template: Template, _ values: [String: String], context: String, location: SourceLocation?,
                    asWord: Bool = false) throws(UndefinedName) -> String {
        let secrets = Set(environment.secrets)
        do {
            return try asWord ? template.renderWord(values, environmentReferences: secrets)
                : template.render(values, environmentReferences: secrets)
        } catch {
            throw UndefinedName(name: error.name, context: context, location: location)
        }
    }
}
