import ArgumentParser
@testable import DeployerCLI
import Foundation
import SSH
import Testing

/// Which ssh_config files a command reads: as `ssh` does, `~/.ssh/config` then
/// `/etc/ssh/ssh_config` (and what it includes), unless `-F` or `DEPLOYER_SSH_CONFIG` names one file.
@Suite struct SSHConfigChoiceTests {
    /// A host set up only in the system-wide files (a bastion a company image puts in
    /// /etc/ssh/ssh_config.d) resolves as `ssh` resolves it. Before, deployer read the user's file
    /// alone and looked such an alias up by its bare name ("cannot resolve …").
    @Test func withoutANamedFileTheSystemWideConfigIsReadAfterTheUsers() throws {
        let directory = NSTemporaryDirectory() + "deployer-ssh-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/ssh_config.d", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let system = directory + "/ssh_config"
        try "Include \(directory)/ssh_config.d/*.conf\n".write(toFile: system, atomically: true, encoding: .utf8)
        try "Host fleet-only-in-system-config\n  HostName 192.0.2.7\n  Port 2222\n  ProxyJump bastion\n"
            .write(toFile: directory + "/ssh_config.d/10-fleet.conf", atomically: true, encoding: .utf8)
        let options = try SSHOptions.parse([])

        let config = try options.loadConfig(environment: [:], systemPath: system)
        let resolved = config.resolve(host: "fleet-only-in-system-config", localUser: "deploy", homeDirectory: directory)
        #expect(resolved.hostName == "192.0.2.7" && resolved.port == 2222 && resolved.proxyJump == ["bastion"], "\(resolved)")

        // A file named by DEPLOYER_SSH_CONFIG (or -F) is the only one read, as with `ssh -F`.
        let named = directory + "/named_config"
        try "Host other\n  Port 2200\n".write(toFile: named, atomically: true, encoding: .utf8)
        let alone = try options.loadConfig(environment: ["DEPLOYER_SSH_CONFIG": named], systemPath: system)
        let unconfigured = alone.resolve(host: "fleet-only-in-system-config", localUser: "deploy", homeDirectory: directory)
        #expect(unconfigured.hostName == "fleet-only-in-system-config" && unconfigured.port == 22, "\(unconfigured)")

        // doctor names both files it read: it said "~/.ssh/config does not exist: hosts are reached by name,
        // with OpenSSH's defaults" while the system file set them.
        let examiner = ControllerExaminer(processEnvironment: [:])
        let missingUserFile = directory + "/no_user_config"
        let line = examiner.sshConfig(path: missingUserFile, systemPath: system) { () throws(SSHConfigError) in
            try SSHConfig.load(userPath: missingUserFile, systemPath: system, homeDirectory: directory)
        }.check
        #expect(line.detail == "\(system) parses", "\(line)")
        let both = examiner.sshConfig(path: named, systemPath: system) { () throws(SSHConfigError) in config }.check
        #expect(both.detail == "\(named), then \(system) parse", "\(both)")
    }
}
