/// What makes two `ProxyJump` hops the same jump host for sharing one session to it: the hop's
/// resolved options (user, host name, port, identities, known_hosts files, …) and those of the
/// hops before it, and the host-key policy. Two targets whose last hop resolves alike ride one
/// session, whatever name each wrote for it.
struct JumpHostIdentity: Hashable {
    /// The options of each hop, outermost first, ending with the jump host itself.
    let hops: [ResolvedSSHOptions]
    let hostKeyPolicy: HostKeyPolicy

    init(_ hop: SSHTarget) {
        hops = hop.jumpHosts.map(\.options) + [hop.options]
        hostKeyPolicy = hop.hostKeyPolicy
    }
}
