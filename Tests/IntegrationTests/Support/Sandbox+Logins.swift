import Foundation

extension Sandbox {
    /// How many times the login user has logged in to `host` so far (each SSH handshake completed is one
    /// `Accepted publickey` line in the host's sshd log; `exec` does not log in): count before
    /// and after a command to see how many connections it made.
    func logins(_ host: String) throws -> Int {
        try String(contentsOfFile: directory + "/hosts/\(host)/sshd.log", encoding: .utf8)
            .components(separatedBy: "Accepted publickey for deploy").count - 1
    }
}
