import DeployerModel

extension ResolvedEnvironment {
    /// A host or role named in `--hosts` or `--roles` that the environment does not have, or a limit no host meets.
    public struct LimitError: Error, CustomStringConvertible {
        public var description: String
    }

    /// This environment narrowed to the hosts named in `hosts` that have one of `roles` (each list
    /// nil when not given), and the limit it describes; the environment as it is, and nil, when
    /// neither is given. The fingerprint stays the whole environment's: a limited push makes the
    /// same release a full one would. An unknown name is an error with a suggestion.
    public func limited(hosts names: [String]?, roles: [String]?) throws(LimitError) -> (ResolvedEnvironment, HostLimit?) {
        guard names != nil || roles != nil else { return (self, nil) }
        let known = hosts.map(\.name)
        let knownRoles = Array(Set(hosts.flatMap(\.roles))).sorted()
        for name in names ?? [] where !known.contains(name) {
            throw LimitError(description: "environment '\(self.name)' has no host '\(name)' (--hosts)"
                + Suggestion.didYouMean(name, in: known) + "; its hosts: " + known.joined(separator: ", "))
        }
        for role in roles ?? [] where !knownRoles.contains(role) {
            throw LimitError(description: "environment '\(self.name)' has no role '\(role)' (--roles)"
                + Suggestion.didYouMean(role, in: knownRoles) + "; its roles: " + knownRoles.joined(separator: ", "))
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
}
