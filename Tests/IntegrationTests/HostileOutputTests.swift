import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// A compromised host talking back: terminal escape sequences in what it reports, floods of
/// output, output where deployer expects its protocol. Hosts are changed behind deployer's back
/// with `Sandbox.exec` (as root), the way an intruder would.
@Suite(.tags(.sandbox)) struct HostileOutputTests {
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

    /// A host whose shell prints 20,000 `::deployer warning` lines before the scripts it runs gets 100 of
    /// them reported per step and the rest counted, so the audit log stays small (25 MB of warning lines
    /// once made a 204 MB audit log: every line was an event).
    @Test func aFloodOfWarningsIsBoundedPerStep() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "deploy_to: /srv/app\n", with: """
                deploy_to: /srv/app
                shell: /srv/flood-sh -c

                """))
            try await app.commit("a flooding shell")
            try await sandbox.exec("host1", "printf '#!/bin/sh\\nyes \"::deployer warning flood\" | head -n 20000\\nexec sh \"$@\"\\n' "
                + ">/srv/flood-sh && chmod 755 /srv/flood-sh")
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output.suffix(2000))")
            let log = try #require(pushed.output.split(separator: "\n").first { $0.hasPrefix("log: ") }?.dropFirst(5))
            let audit = try String(contentsOfFile: String(log), encoding: .utf8)
            #expect(audit.utf8.count < 1 << 20, "the audit log has \(audit.utf8.count) bytes")
            #expect(audit.contains("more warnings of this step not shown"), "\(audit.suffix(2000))")
        }
    }

    /// `deployer doctor` quotes the standard error of a command that failed on a host; it printed it as it
    /// came, so the host could retitle or clear the terminal there.
    @Test func doctorShowsAHostsEscapeSequencesMadeVisible() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", #"shell: 'sh -c ''printf "\033]0;pwned\007\033[2Jbroken" >&2; exit 3'' --'"# + "\n" + recipe)
            let doctor = try await sandbox.deployer(["doctor", "staging"], in: app.path)
            #expect(doctor.output.contains("^[]0;pwned^G^[[2Jbroken"), "\(doctor.output.debugDescription)")
            #expect(!doctor.output.contains(Self.escape) && !doctor.output.contains("\u{7}"), "\(doctor.output.debugDescription)")
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

    /// A host whose shell prints before every command, without a newline (a noisy start-up file): each
    /// script's first marker shares its line with that output. The lock step's "acquired" was lost, so the
    /// run took its own lock for another run's and left it behind; markers now count wherever they start.
    @Test func aMarkerAfterOtherOutputOnItsLineIsStillRead() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "deploy_to: /srv/app\n", with: """
                deploy_to: /srv/app
                shell: /srv/noisy-sh -c

                """))
            try await app.commit("a noisy shell")
            try await sandbox.exec("host1", "printf '#!/bin/sh\\nprintf \"Welcome to host1! \"\\nexec sh \"$@\"\\n' >/srv/noisy-sh && chmod 755 /srv/noisy-sh")
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(try await sandbox.exec("host1", "ls -A /srv/app/.deployer") .contains("lock") == false, "a lock was left behind")
            try await app.newRevision("2")
            let again = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(again.status == 0, "\(again.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/app.txt") == "version 2\n")
        }
    }

    /// `promote` fetching from a staging host whose artifact was replaced by a link to `/dev/zero`: it reads no
    /// more than the marker's recorded size, within a deadline, fails naming the host, and leaves no partial file
    /// (it used to read 1.1 GB into the cache, and 1.8 GB into memory, in 14 s until killed).
    @Test func aFetchFromAHostileHostIsBoundedAndLeavesNothing() async throws {
        try await Sandbox.with(hosts: 4) { sandbox in
            let app = try await PromoteTests.app(sandbox)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let staging = try await PromoteTests.marker(sandbox, "host1")
            #expect(staging["bytes"] as? Int ?? 0 > 0, "the marker records the artifact's size: \(staging)")
            try await app.git(["reset", "-q", "--hard", "HEAD~1"])
            try await app.git(["reflog", "expire", "--expire=now", "--all"])
            try await app.git(["gc", "-q", "--prune=now"])
            try? FileManager.default.removeItem(atPath: app.path + "/.cache")
            for host in ["host1", "host2"] {
                try await sandbox.exec(host, "for f in /srv/app/.deployer/artifacts/*; do ln -sfn /dev/zero \"$f\"; done")
            }
            let started = ContinuousClock.now
            // The commit is gone from the controller: only a promote that trusts staging's copy fetches it.
            let promote = try await sandbox.deployer(["promote", "staging", "prod", "--trust-source-artifact"], in: app.path)
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(promote.status != 0, "\(promote.output)")
            #expect(promote.output.contains("not a regular file"), "\(promote.output)")
            let cached = (try? FileManager.default.contentsOfDirectory(atPath: app.path + "/.cache/deployer/artifacts")) ?? []
            #expect(!cached.contains { $0.hasPrefix("fetched-") }, "\(cached)")
            #expect(try await sandbox.exec("host3", "ls -A /srv") == "", "prod was touched")
        }
    }
}

