/// A line of an ssh_config file that matters when resolving a host, in file order.
indirect enum SSHConfigItem: Sendable {
    /// `Host` patterns as written, `!` negation included.
    case host([String])
    /// `Match` with the criteria deployer evaluates; nil when the block can never apply here: it uses
    /// a criterion deployer cannot evaluate (`exec`, …; the parser warns), or is `Match !all`.
    case match([SSHConfigMatchCriterion]?)
    /// A directive with its location, applied when the current block is active.
    case setting(SSHConfigSetting)
    /// `Include`: each matched file's items, evaluated in order with OpenSSH's activity rules.
    case include([[SSHConfigItem]])
}
