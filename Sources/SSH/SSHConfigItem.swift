/// A line of an ssh_config file that matters when resolving a host, in file order.
indirect enum SSHConfigItem: Sendable {
    /// `Host` patterns as written, `!` negation included.
    case host([String])
    /// `Match`: only `Match all` applies; any other criteria make the block inactive (with a warning).
    case match(all: Bool)
    /// A directive with its location, applied when the current block is active.
    case setting(SSHConfigSetting)
    /// `Include`: each matched file's items, evaluated in order with OpenSSH's activity rules.
    case include([[SSHConfigItem]])
}
