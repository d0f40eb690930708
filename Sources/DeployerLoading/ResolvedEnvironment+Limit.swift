import DeployerModel

extension ResolvedEnvironment {
    /// A host or role named in `--hosts` or `--roles` that the environment does not have, or a limit no host meets.
    public struct LimitError: Error, CustomStringConvertible {
        public var description: String
    }

    /// This environment narrowed to the hosts named in `hosts` that have one of `roles` (each list
    /// nil when not given), and the limit it describes; the environment as it is, and nil, when
    /// neither is given. The fingerprint stays the whole environment's: a limited push makes the
    /// same release a full one would. An unknown name is an error naming the environments of
    /// `recipeEnvironments` that have it (the command was likely meant for one of them), else with
    /// a suggestion from this environment's names.
    public func limited(hosts names: [String]?, roles: [String]?,
                        recipeEnvironments: [RecipeEnvironment] = []) throws(LimitError) -> (ResolvedEnvironment, HostLimit?) {
        guard names != nil || roles != nil else { return (self, nil) }
        let known = hosts.map(\.name)
        let knownRoles = Array(Set(hosts.flatMap(\.roles))).sorted()
        for name in names ?? [] where !known.contains(name) {
            throw unknown("host", name, option: "--hosts", known: known, holders: recipeEnvironments.filter { environment in
                environment.roles.contains { $0.hosts.contains { $0.name == name } }
            })
        }
        for role in roles ?? [] where !knownRoles.contains(role) {
            throw unknown("role", role, option: "--roles", known: knownRoles, holders: recipeEnvironments.filter { environment in
                environment.roles.contains { $0.name == role && !$0.hosts.isEmpty }
            })
        }
        let selected = hosts.filter { host in
            (names?.contains(host.name) ?? true) && (roles.map { !Set($0).isDisjoint(with: host.roles) } ?? true)
        }
        guard !selected.isEmpty else {
            throw LimitError(description: "no host of environment '\(self.name)' is named in --hosts and has a role "
                + "named in --roles; hosts with those roles: "
                + hosts.filter { !Set(roles ?? []).isDisjoint(with: $0.roles) }.map(\.name).joined(separator: ", "))
        }
        var narrowed = self
        narrowed.hosts = selected
        return (narrowed, HostLimit(fleet: hosts, selected: selected))
    }

    /// The error for a `kind` (host or role) `name` this environment lacks. When other environments
    /// (`holders`) have it, they are named instead of a near miss here: `push staging --hosts web3`
    /// with web3 a prod host is a wrong environment, and suggesting staging's `web1` would mislead.
    private func unknown(_ kind: String, _ name: String, option: String, known: [String],
                         holders: [RecipeEnvironment]) -> LimitError {
        let elsewhere = holders.map(\.name).filter { $0 != self.name }
        let missing = "environment '\(self.name)' has no \(kind) '\(name)' (\(option))"
        let listing = "; its \(kind)s: " + known.joined(separator: ", ")
        guard !elsewhere.isEmpty else {
            return LimitError(description: missing + Suggestion.didYouMean(name, in: known) + listing)
        }
        return LimitError(description: missing + listing + "; '\(name)' is a \(kind) of environment"
            + (elsewhere.count == 1 ? " " : "s ") + elsewhere.map { "'\($0)'" }.joined(separator: ", ")
            + ": name that environment to reach it")
    }
}
