import DeployerExecution
import DeployerModel
import Foundation
import SSH

/// How the system's OpenSSH client resolves a host (`ssh -G`), to show where deployer's own
/// reading of ssh_config differs from what `ssh HOST` would do.
struct OpenSSHResolution: Equatable {
    var hostName: String
    var user: String
    var port: Int
    var proxyJump: String

    /// `ssh -G` for `address` with the ssh_config deployer reads; nil when `ssh` is not
    /// installed or cannot resolve the host. For the default `~/.ssh/config` no `-F` is given,
    /// so that ssh reads `/etc/ssh/ssh_config` after it, as deployer does.
    static func read(_ address: HostAddress, configPath: String, environment: [String: String]) async -> OpenSSHResolution? {
        guard let ssh = executable(named: "ssh", path: environment["PATH"] ?? "/usr/bin:/bin") else { return nil }
        var arguments = ["-G"]
        if configPath != SSHConfig.defaultPath, FileManager.default.fileExists(atPath: configPath) { arguments += ["-F", configPath] }
        if let user = address.user { arguments += ["-l", user] }
        if let port = address.port { arguments += ["-p", String(port)] }
        arguments.append(address.host)
        guard let output = try? await ProcessRunner.run(ssh, arguments, environment: environment, timeout: 10),
              output.status == 0 else { return nil }
        return OpenSSHResolution(output: String(decoding: output.stdout, as: UTF8.self))
    }

    /// Reads `ssh -G`'s `keyword value` lines.
    init(output: String) {
        var values: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, values[parts[0]] == nil { values[parts[0]] = parts[1] }
        }
        hostName = values["hostname"] ?? ""
        user = values["user"] ?? ""
        port = Int(values["port"] ?? "") ?? 22
        proxyJump = values["proxyjump"] ?? "none"
    }

    init(hostName: String, user: String, port: Int, proxyJump: String) {
        self.hostName = hostName; self.user = user; self.port = port; self.proxyJump = proxyJump
    }

    /// `port 2222 here, 22 for ssh -G` for each setting that differs from `other` (deployer's).
    func differences(from other: OpenSSHResolution) -> [String] {
        [("HostName", other.hostName, hostName), ("User", other.user, user), ("Port", String(other.port), String(port)),
         ("ProxyJump", other.proxyJump, proxyJump)]
            .filter { $0.1 != $0.2 }
            .map { "\($0.0) \($0.1) for deployer, \($0.2) for ssh -G" }
    }

    /// The first executable `name` in `path` (a PATH value).
    static func executable(named name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
