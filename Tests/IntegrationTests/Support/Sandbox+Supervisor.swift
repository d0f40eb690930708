import DeployerModel
import Foundation

/// The sandbox hosts have no systemd: tests of recipes that restart a unit
/// install a small real process supervisor in its place (the fixture
/// `systemctl`: start, stop, restart, is-active of unit files) and ask the
/// service they run over its Unix socket.
extension Sandbox {
    static let supervisor = "/srv/supervisor"

    /// Installs the supervisor as `/srv/supervisor/systemctl` on every host,
    /// with `unitFile` in its `units/`, owned by the login user.
    func installSupervisor(unitFile: String) async throws {
        let units = Sandbox.supervisor + "/units"
        for host in hosts {
            try await exec(host, [
                ShellQuote.join(["mkdir", "-p", units]),
                ShellQuote.join(["cp", AppRepository.fixtures + "/systemctl", Sandbox.supervisor + "/systemctl"]),
                ShellQuote.join(["cp", unitFile, units + "/"]),
                ShellQuote.join(["chown", "-R", "deploy:", Sandbox.supervisor]),
            ].joined(separator: " && "))
        }
    }

    /// The body the service on `host` answers to `GET /` on `socket` (as a
    /// TLS-terminating proxy would ask), "" while nothing answers.
    func answer(_ host: String, socket: String = "/srv/app/shared/app.sock") async throws -> String {
        try await exec(host, ShellQuote.join(["curl", "-sf", "--max-time", "5", "--unix-socket", socket,
                                              "-H", "X-Forwarded-Proto: https", "http://localhost/"]) + " || true")
    }

    /// Waits until the service on `host` answers with a body starting with `prefix`; that body.
    func waitForAnswer(_ host: String, startingWith prefix: String) async throws -> String {
        var body = ""
        try await waitFor {
            body = try await answer(host)
            return body.hasPrefix(prefix)
        }
        return body
    }
}
