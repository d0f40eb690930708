import DeployerExecution
import Foundation
import SSH

/// The controller's half of `deployer doctor`: the ssh_config deployer reads and the ssh-agent
/// it would use. Read-only.
struct ControllerExaminer {
    var processEnvironment: [String: String]

    /// The ssh_config line, and the file at `path` (then `systemPath`, when nothing named one file)
    /// as `load` parses them; nil with a problem line when they do not parse (or a file the user
    /// named does not exist).
    func sshConfig(path: String, systemPath: String?, load: () throws(SSHConfigError) -> SSHConfig) -> (check: DoctorCheck, config: SSHConfig?) {
        let name = "ssh_config"
        let files = ([path] + (systemPath.map { [$0] } ?? [])).filter { FileManager.default.fileExists(atPath: $0) }
        do {
            let config = try load()
            let read = files.isEmpty ? "\(path) does not exist: hosts are reached by name, with OpenSSH's defaults"
                : files.joined(separator: ", then ") + (files.count == 1 ? " parses" : " parse")
            if !config.warnings.isEmpty {
                return (.warning(DoctorCheck.controller, name, read + "; " + config.warnings.joined(separator: "; "),
                                 fix: "edit \(path) as the warnings say"), config)
            }
            return (.ok(DoctorCheck.controller, name, read), config)
        } catch {
            return (.problem(DoctorCheck.controller, name, "\(error)", fix: "correct \(path) (ssh -G -F \(path) HOST shows how ssh reads it)"), nil)
        }
    }

    /// The ssh-agent line: whether `SSH_AUTH_SOCK` names a live agent and which keys it holds
    /// (`ssh-add -l`, when installed).
    func agent() async -> DoctorCheck {
        let name = "agent"
        guard let socket = processEnvironment["SSH_AUTH_SOCK"], !socket.isEmpty else {
            return .ok(DoctorCheck.controller, name, "no ssh-agent (SSH_AUTH_SOCK is not set): keys come from IdentityFile only")
        }
        let fix = "start an agent (eval \"$(ssh-agent -s)\") and add the deploy key (ssh-add KEY), or unset SSH_AUTH_SOCK"
        guard FileManager.default.fileExists(atPath: socket) else {
            return .warning(DoctorCheck.controller, name, "SSH_AUTH_SOCK names \(socket), which does not exist", fix: fix)
        }
        guard let sshAdd = OpenSSHResolution.executable(named: "ssh-add", path: processEnvironment["PATH"] ?? "/usr/bin:/bin"),
              let listed = try? await ProcessRunner.run(sshAdd, ["-l"], environment: processEnvironment, timeout: 10) else {
            return .ok(DoctorCheck.controller, name, "ssh-agent at \(socket) (ssh-add is not installed to list its keys)")
        }
        switch listed.status {
        case 0:
            let keys = String(decoding: listed.stdout, as: UTF8.self).split(separator: "\n")
            return .ok(DoctorCheck.controller, name, "ssh-agent at \(socket) holds \(keys.count) key\(keys.count == 1 ? "" : "s"): "
                       + keys.map { $0.split(separator: " ").dropFirst(2).joined(separator: " ") }.joined(separator: "; "))
        case 1:
            return .warning(DoctorCheck.controller, name, "ssh-agent at \(socket) holds no keys", fix: "ssh-add the deploy key, or unset SSH_AUTH_SOCK")
        default:
            return .warning(DoctorCheck.controller, name, "cannot talk to the ssh-agent at \(socket)", fix: fix)
        }
    }
}
