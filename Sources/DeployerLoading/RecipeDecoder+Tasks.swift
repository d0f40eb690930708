import DeployerModel

/// `tasks.NAME`: the command, its phase, where it runs, its guards.
extension RecipeDecoder {
    mutating func task(_ name: String, _ key: YAMLNode, _ node: YAMLNode) -> ResolvedTask? {
        let context = "in task '\(name)'"
        guard let f = fields(of: node, RecipeSchema.Task.self, in: context) else { return nil }
        var references = TaskReferences()
        var phase = Phase.prepare
        let local = f[.local].map { bool($0.value) ?? false } ?? false
        if let v = f[.phase]?.value, let text = string(v, what: "a phase") {
            if let p = Phase(rawValue: text) {
                phase = p
            } else {
                let all = Phase.allCases.map(\.rawValue)
                error("unknown phase '\(text)'; expected one of \(all.joined(separator: ", "))" + Suggestion.didYouMean(text, in: all),
                      at: v.location)
            }
        } else if f[.phase] == nil, !local {
            missing("phase", in: context, at: key.location)
        }
        let run: Template? = f[.run].flatMap { template($0.value) }
        if f[.run] == nil { missing("run", in: context, at: key.location) }
        if let v = f[.roles]?.value {
            references.roles = names(v, what: "a list of role names")
            if references.roles.isEmpty, v.items != nil { error("'roles' is empty; leave it out to run on every host", at: v.location) }
        }
        if let v = f[.needs]?.value { references.needs = names(v, what: "a list of task names") }
        var task = ResolvedTask(name: name, phase: phase, roles: references.roles.map(\.name), needs: references.needs.map(\.name),
                                run: run ?? Template(literal: ""), location: key.location)
        if let pair = f[.once] {
            task.once = bool(pair.value) ?? false
            if task.once { references.onceLocation = pair.key.location }
        }
        if let v = f[.creates]?.value { task.creates = template(v) }
        if let v = f[.unless]?.value { task.unless = template(v) }
        if let v = f[.onlyIf]?.value { task.onlyIf = template(v) }
        if let pair = f[.check] {
            task.check = template(pair.value)
            if !local, !Self.checkedPhases.contains(task.phase) {
                error("'check' in task '\(name)' is answered at the end of prepare, so it cannot decide a task "
                      + "of phase '\(task.phase.rawValue)'", at: pair.key.location,
                      note: "'check' is for tasks of " + Self.checkedPhases.map(\.rawValue).joined(separator: " and ")
                          + "; use 'unless' or 'only_if' to skip a task where it runs")
            }
        }
        if let pair = f[.readOnlyGuards] {
            task.readOnlyGuards = bool(pair.value) ?? false
            if task.readOnlyGuards, f[.unless] == nil, f[.onlyIf] == nil {
                error("'read_only_guards' in task '\(name)' has no 'unless' or 'only_if' to apply to; remove it",
                      at: pair.key.location)
            }
        }
        task.local = local
        if let pair = f[.irreversible] {
            task.irreversible = bool(pair.value) ?? false
            if task.irreversible, local || ![.prepare, .beforeSwitch, .afterSwitch].contains(phase) {
                error("'irreversible' in task '\(name)' guards rollbacks past the release a push made; only a task of "
                      + "phase prepare, before_switch or after_switch on the hosts has one: remove it", at: pair.key.location)
            }
        }
        buildStep(&task, f)
        if let v = f[.timeout]?.value { task.timeoutSeconds = commandTimeout(v) }
        if let v = f[.env]?.value {
            for entry in entries(of: v, what: "a mapping of environment variable names to values") {
                let valid = entry.name.first.map { $0.isLetter || $0 == "_" } == true
                    && entry.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                if !valid { error("invalid environment variable name '\(entry.name)'", at: entry.key.location) }
                if let value = template(entry.value) { task.env[entry.name] = value }
            }
        }
        if let pair = f[.maxParallel], let n = integer(pair.value, minimum: 1) {
            task.maxParallel = n
            if task.once, n > 1 {
                error("a 'once' task runs on one host; 'max_parallel: \(n)' in task '\(name)' cannot apply: remove it",
                      at: pair.key.location)
            }
            if task.local {
                error("a 'local' task runs on the controller; remove 'max_parallel' from task '\(name)'", at: pair.key.location)
            }
        }
        if task.once, task.roles.isEmpty, let once = references.onceLocation {
            error("'once' needs 'roles' in task '\(name)': the task runs on the first host of its roles", at: once)
        }
        if task.local, let roles = f[.roles] {
            error("a 'local' task runs on the controller; remove 'roles' from task '\(name)'", at: roles.key.location)
        }
        taskReferences[name] = references
        return task
    }
}

extension RecipeDecoder {
    /// The phases whose tasks may have a `check:`: those that run after prepare, where the check is
    /// answered, and never again for another release (after_switch tasks also run on a rollback, which
    /// answers no check).
    static let checkedPhases: [Phase] = [.beforeSwitch, .afterFleet]
}
