/// One condition of a `Match` line that deployer evaluates itself (all of a line's conditions must hold).
///
/// `exec`, `canonical`, `final` and newer attributes are not represented: a `Match` line using them
/// is ignored with a warning.
enum SSHConfigMatchCriterion: Sendable {
    /// `Match all`.
    case all
    /// `host`: the host name resolved so far (HostName with `%h` expanded, else the alias), case-insensitive.
    case host(patterns: String, negated: Bool)
    /// `originalhost`: the name as typed, case-insensitive.
    case originalHost(patterns: String, negated: Bool)
    /// `user`: the remote user so far (explicit, `User`, else the local user), case-sensitive.
    case user(patterns: String, negated: Bool)
    /// `localuser`: the local user, case-sensitive.
    case localUser(patterns: String, negated: Bool)
}
