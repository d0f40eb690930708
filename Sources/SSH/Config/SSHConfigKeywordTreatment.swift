/// What deployer does with one ssh_config keyword: every keyword OpenSSH's client knows has one,
/// so that no setting a user wrote is dropped without a word.
enum SSHConfigKeywordTreatment: Sendable, Equatable {
    /// deployer acts on the value as `ssh` does (`SSHConfigParser` turns it into an `SSHConfigSetting`).
    case honoured
    /// Changes how `ssh` would connect or authenticate, and deployer's libssh2 transport cannot
    /// do the same: a host that obtains a value other than `harmless` (lower-cased; OpenSSH's
    /// default, or "off") fails before connecting, naming the setting's file and line and `why`.
    case refused(harmless: Set<String>, why: String)
    /// No effect on a session that only runs commands (no terminal, no person, no forwarding),
    /// or an option OpenSSH itself ignores: `reason` says which.
    case irrelevant(reason: String)
}
