import Foundation
import Testing

/// `deployer push` in a real terminal (a tmux pane, see `TerminalSession`)
/// against sandbox hosts: the live view is chosen on its own because
/// standard output is a terminal, and the screen it leaves is what a person
/// reads afterwards.
@Suite(.tags(.sandbox)) struct TerminalTests {
    /// Select Graphic Rendition: colours and other text attributes.
    private let sgr = /\x{1B}\[[0-9;]*m/
    /// Cursor up: the live area being redrawn in place.
    private let cursorUp = /\x{1B}\[[0-9]+A/
    private let spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    /// Colours on a terminal, none under `NO_COLOR` or `--no-color` (README, Output).
    @Test func pushShowsTheLiveViewAndLeavesOneLinePerHostAndTheSummary() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let environment = ["DEPLOYER_SSH_CONFIG": sandbox.sshConfig, "XDG_CACHE_HOME": app.path + "/.cache"]

            let colored = try await TerminalSession.run([DeployerProcess.executable, "push", "staging"], in: app.path,
                                                        environment: environment, unset: ["NO_COLOR"])
            expectFinalScreen(colored, hosts: sandbox.hosts)
            #expect(colored.raw.contains(sgr), "colours on a terminal without NO_COLOR")

            try await app.newRevision("2")
            let plain = try await TerminalSession.run([DeployerProcess.executable, "push", "staging"], in: app.path,
                                                      environment: environment.merging(["NO_COLOR": "1"]) { $1 })
            expectFinalScreen(plain, hosts: sandbox.hosts)
            #expect(!plain.raw.contains(sgr), "NO_COLOR=1: no SGR sequence in \(plain.raw.debugDescription)")
            #expect(try await sandbox.exec("host3", "cat /srv/app/current/app.txt") == "version 2\n")

            try await app.newRevision("3")
            let flagged = try await TerminalSession.run([DeployerProcess.executable, "push", "staging", "--no-color"], in: app.path,
                                                        environment: environment, unset: ["NO_COLOR"])
            expectFinalScreen(flagged, hosts: sandbox.hosts)
            #expect(!flagged.raw.contains(sgr), "--no-color: no SGR sequence in \(flagged.raw.debugDescription)")
            #expect(try await sandbox.exec("host3", "cat /srv/app/current/app.txt") == "version 3\n")
        }
    }

    /// The terminal reporter drew a live area and redrew it in place; at the
    /// end each host is one collapsed line, the summary and its table follow,
    /// and no spinner or live header is left on the screen.
    private func expectFinalScreen(_ run: TerminalSession.Result, hosts: [String]) {
        let screen = run.screen.joined(separator: "\n")
        #expect(run.status == 0, "\(screen)")
        #expect(run.raw.contains("hosts done") && run.raw.contains(cursorUp), "the live area was drawn and redrawn in place")
        #expect(!run.screen.contains { $0.range(of: #"^\d\d:\d\d:\d\d "#, options: .regularExpression) != nil },
                "no plain reporter line (HH:MM:SS host | …): \(screen)")
        for host in hosts {
            let collapsed = run.screen.filter { $0.hasPrefix("✓ \(host) ") }
            #expect(collapsed.count == 1, "\(host) collapsed to one line: \(screen)")
        }
        #expect(run.screen.contains { $0.hasPrefix("push succeeded in ") }, "the summary: \(screen)")
        #expect(run.screen.contains { $0.range(of: #"^host\s+release\s+result"#, options: .regularExpression) != nil },
                "the summary table: \(screen)")
        #expect(!run.screen.contains { line in line.contains { spinner.contains($0) } }, "a spinner left: \(screen)")
        #expect(!run.screen.contains { $0.contains("hosts done") }, "the live header left: \(screen)")
    }
}
