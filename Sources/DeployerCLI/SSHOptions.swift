import ArgumentParser
import Foundation
import SSH

/// Command-line options shared by every command that talks to hosts over SSH.
struct SSHOptions: ParsableArguments {
    @Option(name: .customShort("F"), help: ArgumentHelp("ssh_config file (default: $DEPLOYER_SSH_CONFIG, else ~/.ssh/config).", valueName: "file"))
    var sshConfig: String?

    @Option(help: ArgumentHelp("Unknown host keys: strict (refuse), accept-new (record them), off (no checking; insecure). Default: ssh_config's StrictHostKeyChecking, else strict.", valueName: "policy"))
    var hostKeyPolicy: HostKeyPolicy?

    @Option(help: "At most this many hosts at once.")
    var parallel: Int = 100

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    }

    /// The ssh_config path in effect: `-F`, else `DEPLOYER_SSH_CONFIG`, else `~/.ssh/config`.
    func configPath(environment: [String: String]) -> String {
        sshConfig ?? environment["DEPLOYER_SSH_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? SSHConfig.defaultPath
    }
}
