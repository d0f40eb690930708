/// One ssh_config directive deployer acts on, validated when the file is parsed.
///
/// Values keep `%` tokens and `~` unexpanded: those depend on the host being resolved.
enum SSHConfigSetting: Sendable {
    case hostName(String)
    case port(Int)
    case user(String)
    case identityFile(String)
    case certificateFile(String)
    case identitiesOnly(Bool)
    /// nil is `none`: leaves the option unset, so a later line may still set it.
    case connectTimeout(Int?)
    /// nil is `none`, as for `connectTimeout`.
    case serverAliveInterval(Int?)
    case serverAliveCountMax(Int)
    /// At least 1.
    case connectionAttempts(Int)
    case strictHostKeyChecking(HostKeyPolicy)
    /// Empty for `none`.
    case userKnownHostsFiles([String])
    /// Empty for `none`.
    case globalKnownHostsFiles([String])
    case hostKeyAlias(String)
    case hashKnownHosts(Bool)
    /// `none`, `SSH_AUTH_SOCK`, `$NAME`, or a socket path (tokens unexpanded).
    case identityAgent(String)
    /// Hops as written; empty for `none`.
    case proxyJump([String])
    /// `ProxyCommand` (`none` included), the rest of the line as written; excludes a later `ProxyJump` as in OpenSSH.
    case proxyCommand(String)
    /// `KexAlgorithms`, `HostKeyAlgorithms`, `Ciphers`, `MACs` or `PubkeyAcceptedAlgorithms`, well formed.
    case algorithms(SSHAlgorithmSetting)
    /// A keyword deployer refuses (`SSHConfigKeyword.table`), lower-cased, and the refusal; nil
    /// for a harmless value, which still counts as obtained and shadows later lines.
    case refusable(keyword: String, refusal: SSHConfigRefusal?)
}
