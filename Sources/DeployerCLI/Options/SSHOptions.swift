import ArgumentParser
import DeployerModel
import Foundation
import SSH

/// Command-line options shared by every command that talks to hosts over SSH.
struct SSHOptions: ParsableArguments {
    @Option(name: .customShort("F"), help: ArgumentHelp("ssh_config file (default: $DEPLOYER_SSH_CONFIG, else ~/.ssh/config then /etc/ssh/ssh_config).", valueName: "file"))
    var sshConfig: String?

    @Option(help: ArgumentHelp("Unknown host keys: strict (refuse), accept-new (record them), off (no checking; insecure). Default: ssh_config's StrictHostKeyChecking, else strict.", valueName: "policy"))
    var hostKeyPolicy: HostKeyPolicy?

    @Option(help: ArgumentHelp("""
        The SSH client: libssh2 (built in, the default) or openssh (the system's ssh, one master \
        connection per host: for FIDO keys, ed25519 or RSA certificates, GSSAPI, PKCS#11, any agent). \
        Overrides the environment's ssh: { transport: } in the recipe.
        """, valueName: "transport"))
    var sshTransport: SSHTransportKind?

    @Option(help: "At most this many hosts at once.")
    var parallel: Int = 100

    @Option(help: ArgumentHelp("At most this many SSH connections being set up (TCP, handshake, authentication) at once, whatever --parallel says; each one's ConnectTimeout starts when its turn comes. Like sshd's MaxStartups.", valueName: "n"))
    var maxStartups: Int = HandshakeThrottle.defaultLimit

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard maxStartups >= 1 else { throw ValidationError("--max-startups must be at least 1") }
    }

    /// The throttle every connection of one command shares (`--max-startups`).
    func handshakeThrottle() -> HandshakeThrottle { HandshakeThrottle(limit: maxStartups) }

    /// The ssh_config path in effect: `-F`, else `DEPLOYER_SSH_CONFIG`, else `~/.ssh/config`.
    func configPath(environment: [String: String]) -> String {
        chosenConfigPath(environment: environment) ?? SSHConfig.defaultPath
    }

    /// The ssh_config the user named (`-F` or `DEPLOYER_SSH_CONFIG`), nil when ssh's default applies.
    func chosenConfigPath(environment: [String: String]) -> String? {
        sshConfig ?? environment["DEPLOYER_SSH_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The ssh_config in effect, parsed, as `ssh` reads it: only the file `-F` or `DEPLOYER_SSH_CONFIG`
    /// names, else `~/.ssh/config` then `systemPath` (`/etc/ssh/ssh_config`, with its
    /// `Include /etc/ssh/ssh_config.d/*.conf`), the user's values first. A named file must exist, as
    /// `ssh -F` requires: read as empty, every host would be reached by its bare name without the
    /// settings the user pointed deployer at.
    func loadConfig(environment: [String: String], systemPath: String = SSHConfig.systemPath) throws(SSHConfigError) -> SSHConfig {
        guard let chosen = chosenConfigPath(environment: environment) else {
            return try SSHConfig.load(userPath: SSHConfig.defaultPath, systemPath: systemPath, homeDirectory: NSHomeDirectory())
        }
        guard FileManager.default.fileExists(atPath: chosen) else {
            let origin = sshConfig != nil ? "-F" : "DEPLOYER_SSH_CONFIG"
            throw SSHConfigError(path: chosen, line: 0, message: "no such file, named by \(origin); check the path, "
                + "or leave \(origin) out to read ~/.ssh/config")
        }
        return try SSHConfig.load(path: chosen)
    }
}
