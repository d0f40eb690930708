/// Which SSH client reaches an environment's hosts: deployer's own, built on libssh2 (the
/// default: no process per host), or the system's OpenSSH `ssh`, for what libssh2 cannot do
/// (FIDO keys, ed25519 and RSA certificates, GSSAPI, PKCS#11, `Match exec`, any agent).
///
/// Chosen per environment with `ssh: { transport: openssh }` in the recipe, or for one run
/// with `--ssh-transport`, which wins.
public enum SSHTransportKind: String, Hashable, Sendable, Codable, CaseIterable {
    case libssh2
    case openssh
}
