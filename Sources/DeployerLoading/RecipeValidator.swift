import DeployerModel

/// Cross-reference checks over a decoded recipe: roles and tasks that exist,
/// `needs` that can hold (no cycles, no task needing a later phase), the same
/// roles in every environment, and template variables defined in every
/// environment that runs them.
struct RecipeValidator {
    let recipe: Recipe
    let decoder: RecipeDecoder

    func validate() -> [Diagnostic] {
        checkRoles() + checkNeeds() + checkRoleParity() + checkTemplates()
    }

    private func checkRoles() -> [Diagnostic] {
        // Without environments (already reported) every role would be unknown.
        guard !recipe.environments.isEmpty else { return [] }
        let known = Set(recipe.environments.flatMap(\.roleNames))
        let ordered = recipe.environments.flatMap(\.roleNames)
        var diagnostics: [Diagnostic] = []
        for task in recipe.tasks {
            for role in decoder.taskReferences[task.name]?.roles ?? [] where !known.contains(role.name) {
                diagnostics.append(.error("unknown role '\(role.name)' in task '\(task.name)'" + Suggestion.didYouMean(role.name, in: ordered),
                                          at: role.location))
            }
        }
        return diagnostics
    }

    private func checkNeeds() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let byName = Dictionary(recipe.tasks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for task in recipe.tasks {
            for need in decoder.taskReferences[task.name]?.needs ?? [] {
                guard let other = byName[need.name] else {
                    diagnostics.append(.error("unknown task '\(need.name)' in 'needs' of task '\(task.name)'"
                        + Suggestion.didYouMean(need.name, in: recipe.tasks.map(\.name)), at: need.location))
                    continue
                }
                if !Self.phase(task.phase, canNeed: other.phase) {
                    let why = other.phase == .afterRollback || task.phase == .afterRollback
                        ? "after_rollback tasks run only on rollback and can need only each other"
                        : other.phase == .onFailure || task.phase == .onFailure
                        ? "on_failure tasks run only when a push fails and can need only each other"
                        : "it runs later, in \(other.phase.rawValue)"
                    diagnostics.append(.error("task '\(task.name)' (\(task.phase.rawValue)) cannot need '\(need.name)': \(why)",
                                              at: need.location))
                }
            }
        }
        for cycle in TaskSorter.sort(recipe.tasks).cycles {
            let from = cycle.path[0], to = cycle.path[1]
            let location = decoder.taskReferences[from]?.needs.first { $0.name == to }?.location ?? byName[from]?.location
            diagnostics.append(.error("'needs' cycle: \(cycle)", at: location))
        }
        return diagnostics
    }

    /// A push runs prepare, before_switch, after_switch in that order; a rollback runs after_rollback only;
    /// a failed push runs on_failure.
    static func phase(_ phase: Phase, canNeed other: Phase) -> Bool {
        let apart: Set<Phase> = [.afterRollback, .onFailure]
        if apart.contains(phase) || apart.contains(other) { return phase == other }
        return other <= phase
    }

    private func checkRoleParity() -> [Diagnostic] {
        // Environments whose hosts failed to load (no roles) were reported already.
        let comparable = recipe.environments.filter { !$0.roles.isEmpty }
        guard let reference = comparable.first else { return [] }
        let expected = Set(reference.roleNames)
        return comparable.dropFirst().compactMap { environment in
            let roles = Set(environment.roleNames)
            guard roles != expected, !environment.allowRoleDifferences, !reference.allowRoleDifferences else { return nil }
            func list(_ set: Set<String>) -> String { set.isEmpty ? "none" : set.sorted().map { "'\($0)'" }.joined(separator: ", ") }
            var parts: [String] = []
            if !expected.subtracting(roles).isEmpty { parts.append("lacks \(list(expected.subtracting(roles)))") }
            if !roles.subtracting(expected).isEmpty { parts.append("adds \(list(roles.subtracting(expected)))") }
            return .error("environment '\(environment.name)' has other roles than '\(reference.name)': it \(parts.joined(separator: " and "))",
                          at: decoder.hostsLocations[environment.name] ?? environment.location,
                          note: "environments should differ only in hosts and vars; add 'allow_role_differences: true' to '\(environment.name)' if this is intended")
        }
    }

    private func checkTemplates() -> [Diagnostic] {
        let common = Set(RecipeSchema.builtinVariables + recipe.secrets + recipe.vars.keys)
        let everyName = Array(common) + recipe.environments.flatMap(\.vars.keys) + [RecipeSchema.envDirVariable]
        var diagnostics: [Diagnostic] = []
        for use in decoder.templates {
            let names = use.template.segments.compactMap { segment -> String? in
                if case let .variable(name, _) = segment { return name }
                return nil
            }
            for (name, offset) in zip(names, use.template.variableOffsets) {
                // Only a diagnostic needs the position, and finding it reads the source's lines: asked for every
                // use, it made a check of 300 tasks take seconds.
                var location: SourceLocation { decoder.location(ofOffset: offset, in: use.node) }
                if use.inNotification, RecipeSchema.builtinVariables.contains(name), !RecipeSchema.notifyVariables.contains(name) {
                    diagnostics.append(.error("'\(name)' is not defined in a notification", at: location,
                                              note: "a notification is sent once, from the controller, for no host or release: "
                                                  + "it may use app, env, vars and secrets"))
                    continue
                }
                if common.contains(name) || (use.allowsEnvDir && name == RecipeSchema.envDirVariable) { continue }
                if name == RecipeSchema.envDirVariable {
                    diagnostics.append(.error("'env_dir' is defined only inside 'build' of an env", at: location))
                    continue
                }
                let missing = recipe.environments.filter { $0.vars[name] == nil }.map(\.name)
                if missing.isEmpty { continue }  // every environment defines it
                if missing.count == recipe.environments.count {
                    diagnostics.append(.error("undefined variable '\(name)'" + Suggestion.didYouMean(name, in: everyName.sorted()), at: location))
                } else {
                    diagnostics.append(.error("variable '\(name)' is not defined in environment "
                        + missing.map { "'\($0)'" }.joined(separator: ", "), at: location,
                        note: "define it in the recipe's 'vars' or in every environment's 'vars'"))
                }
            }
        }
        return diagnostics
    }
}
