import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// A compromised host talking back: terminal escape sequences in what it reports, floods of
/// output, output where deployer expects its protocol. Hosts are changed behind deployer's back
/// with `Sandbox.exec` (as root), the way an intruder would.
@Suite struct HostileOutputTests {
    private static let escape = "\u{1B}"

    /// A release marker's author and a lock's holder are host-supplied text: `status` and `releases`
    /// show their control characters as `^[`, `^G`, so a host can neither retitle nor clear the
    /// user's terminal; `deployer run` does the same to command output, unless `--raw`.
    @Test func escapeSequencesFromAHostReachTheTerminalMadeVisible() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await sandbox.exec("host1", #"""
                for f in $(grep -rl '"createdBy"' /srv/app/releases); do
                  sed -i 's/"createdBy" *: *"[^"]*"/"createdBy":"\\u001b]0;pwned\\u0007\\u001b[2J"/' "$f"
                done
                mkdir /srv/app/.deployer/lock
                printf '%s\n' '{"schema":1,"origin":{"who":"\u001b[2Jmallory","command":"deployer push","runID":"x"},"since":"2026-01-01T00:00:00Z","ttlSeconds":600}' >/srv/app/.deployer/lock/info.json
                chown -R deploy /srv/app/.deployer/lock
                """#)
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.output.contains("^[]0;pwned^G^[[2J") && status.output.contains("held by ^[[2Jmallory"), "\(status.output)")
            let releases = try await sandbox.deployer(["releases", "staging"], in: app.path)
            #expect(releases.output.contains("^[]0;pwned^G^[[2J"), "\(releases.output)")
            for output in [status.output, releases.output] {
                #expect(!output.contains(Self.escape) && !output.contains("\u{7}"), "\(output.debugDescription)")
            }

            let command = #"printf 'title\033]0;pwned\007\tend\r\n'; printf 'clear\033[2J\n' >&2"#
            let run = try await sandbox.deployer(["run", "--hosts", "host1", "--", command], in: app.path)
            #expect(run.output.contains("title^[]0;pwned^G\tend\nclear^[[2J\n"), "\(run.output.debugDescription)")
            #expect(!run.output.contains(Self.escape), "\(run.output.debugDescription)")
            let raw = try await sandbox.deployer(["run", "--raw", "--hosts", "host1", "--", command], in: app.path)
            #expect(raw.output.contains("title\(Self.escape)]0;pwned\u{7}\tend\r\n"), "\(raw.output.debugDescription)")
        }
    }

    /// On a terminal `deployer run` prints lines as they come; an 8 MB line without a newline used to be copied
    /// again with every chunk that came (116 s, quadratic). It is now split into 64 KB lines, in linear time.
    @Test func aLongLineOnATerminalIsPrintedInLinearTime() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let run = ShellQuote.join([DeployerProcess.executable, "run", "--hosts", "host1", "--",
                                       "head -c 8388608 /dev/zero | tr '\\0' a"])
            let started = ContinuousClock.now
            let terminal = try ChildProcess("/usr/bin/script", ["-qfc", run, "/dev/null"],
                                            environment: ProcessInfo.processInfo.environment.merging(
                                                ["DEPLOYER_SSH_CONFIG": sandbox.sshConfig]) { $1 },
                                            stderr: .null)
            let lines = await withCheckedContinuation { continuation in
                Thread {
                    var lines: [Substring: Int] = [:]
                    var pending: [UInt8] = []
                    while true {
                        let data = terminal.standardOutput!.readChunkRetryingInterrupts()
                        if data.isEmpty { break }
                        pending += data
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = String(decoding: pending[..<newline], as: UTF8.self)
                            lines[line.prefix(9) + "…\(line.count)", default: 0] += 1
                            pending.removeSubrange(...newline)
                        }
                    }
                    _ = terminal.waitForExit()
                    continuation.resume(returning: lines)
                }.start()
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            // 128 pieces of 64 KB, each a line of its own with the host's prefix (and the terminal's CR).
            #expect(lines["host1 | a…\(8 + 65_536 + 1)"] == 128, "\(lines)")
        }
    }
}
