import Foundation

extension Sandbox {
    /// Writes `name` in the sandbox directory: the sandbox's ssh_config with `settings` (lines
    /// such as `ProxyJump host1`) for `host` read first, as a user would put them at the top of
    /// ~/.ssh/config. Returns its path, for `DeployerProcess(…, sshConfig:)`.
    func sshConfig(_ name: String, giving host: String, _ settings: [String]) throws -> String {
        let path = directory + "/" + name
        let base = try String(contentsOfFile: sshConfig, encoding: .utf8)
        let block = (["Host \(host)"] + settings.map { "  " + $0 }).joined(separator: "\n")
        try (block + "\n\n" + base).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
