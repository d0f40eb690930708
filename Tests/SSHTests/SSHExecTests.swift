import Foundation
import Synchronization
import Testing
@testable import SSH

extension SandboxSuites {
    /// Exec and upload against real sshd hosts from the sandbox.
    @Suite("SSH exec and upload against real sshd", .serialized)
    struct SSHExecTests {
        /// Runs `body` with a connection to host1 of a fresh one-host sandbox.
        private func withConnection(_ body: (SSHConnection, TestSandbox) async throws -> Void) async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let connection = try await SSHConnection.connect(to: sandbox.target("host1"))
                do {
                    try await body(connection, sandbox)
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
            }
        }

        @Test func stdoutStderrExitStatusAndSignal() async throws {
            try await withConnection { connection, _ in
                let result = try await connection.exec("echo out; echo err >&2; exit 3")
                #expect(result.stdoutText == "out\n")
                #expect(result.stderrText == "err\n")
                #expect(result.exitStatus == 3)
                #expect(result.exitSignal == nil)
                #expect(try await connection.exec("true").succeeded)
                let killed = try await connection.exec("kill -TERM $$")
                #expect(killed.exitSignal == "TERM")
                #expect(!killed.succeeded)
                #expect(killed.statusDescription == "signal TERM")
            }
        }

        /// A host flooding standard error (64 MB, then a last line) leaves the controller holding its last
        /// megabyte and the count of the rest, for exec and for the script shell alike.
        @Test func aFloodOfOutputKeepsOnlyItsTail() async throws {
            try await withConnection { connection, _ in
                let flood = "head -c 67108864 /dev/zero | tr '\\0' x >&2; echo; echo the end >&2; echo out"
                for result in [try await connection.exec(flood), try await connection.runScript(flood, shell: "sh -s")] {
                    #expect(result.stderr.count == OutputTail.limit && result.stderrText.hasSuffix("xthe end\n"))
                    #expect(result.stderrDropped == 67_108_864 + 8 - OutputTail.limit)
                    #expect(result.stdoutText == "\nout\n" && result.stdoutDropped == 0)
                }
            }
        }

        @Test func stdinAndEnvironment() async throws {
            try await withConnection { connection, _ in
                let input = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                let counted = try await connection.exec("wc -c", stdin: input)
                #expect(counted.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "1000000")
                let echoed = try await connection.exec("cat", stdin: Array("hello\n".utf8))
                #expect(echoed.stdoutText == "hello\n")
                let environment = try await connection.exec("printf '%s|%s' \"$GREETING\" \"$OTHER\"", environment: ["GREETING": "it's a b", "OTHER": "$HOME"])
                #expect(environment.stdoutText == "it's a b|$HOME")
            }
        }

        /// Input beyond the pacing limit to a command that starts reading late: the channel pauses
        /// until the server widens its window again, and every byte arrives in order (a pause while
        /// libssh2 held half a packet once stalled an upload until the next keepalive).
        @Test func pacedInputToALateReaderArrivesWhole() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let traced = Mutex<[String]>([])
                var target = try sandbox.target("host1")
                target.trace = { line in traced.withLock { $0.append(line) } }
                let connection = try await SSHConnection.connect(to: target)
                let local = sandbox.directory + "/paced.bin"
                let bytes = (0..<(3 * 1024 * 1024 + 123)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
                _ = FileManager.default.createFile(atPath: local, contents: Data(bytes))
                let expected = String(try TestSandbox.shell(["sh", "-c", "{ printf head; cat '\(local)'; } | sha256sum"]).prefix(64))
                let result = try await connection.exec("sleep 0.5; sha256sum | cut -c1-64",
                                                       input: [.bytes(Array("head".utf8)), .file(path: local)],
                                                       timeout: .seconds(60))
                await connection.close()
                #expect(result.stdoutText == expected + "\n")
                #expect(traced.withLock { $0.contains { $0.contains("input paused") } })
            }
        }

        /// Scripts on the script shell: one shell for all of them (same `$$`), each in a subshell of
        /// its own (variables and `exit` stay there), with standard input from /dev/null; a script
        /// that kills the shell gets its status and the next one a new shell; a script sent while
        /// another runs gets a channel of its own.
        @Test func scriptsShareOneShellAndStayApart() async throws {
            try await withConnection { connection, _ in
                let first = try await connection.runScript("x=1; echo \"$$\"; echo err >&2", shell: "sh -s")
                #expect(first.exitStatus == 0)
                #expect(first.stderrText == "err\n")
                let shell = first.stdoutText
                let second = try await connection.runScript("echo \"$$\"; echo \"${x:-unset}\"; cat; exit 3", shell: "sh -s")
                #expect(second.exitStatus == 3)
                #expect(second.stdoutText == shell + "unset\n")
                #expect(second.stderrText.isEmpty)
                let killer = try await connection.runScript("kill -KILL $$", shell: "sh -s")
                #expect(!killer.succeeded)
                let fresh = try await connection.runScript("echo \"$$\"", shell: "sh -s")
                #expect(fresh.succeeded)
                #expect(fresh.stdoutText != shell)
                async let slow = connection.runScript("sleep 0.5; echo slow", shell: "sh -s")
                try await Task.sleep(for: .milliseconds(100))
                let quick = try await connection.runScript("echo quick", shell: "sh -s")
                #expect(quick.stdoutText == "quick\n")
                #expect(try await slow.stdoutText == "slow\n")
            }
        }

        @Test func largeOutputOnBothStreamsNeverDeadlocks() async throws {
            try await withConnection { connection, _ in
                let counts = Mutex((stdout: 0, stderr: 0))
                let big = try await connection.exec(
                    "head -c 52428800 /dev/zero; head -c 5000000 /dev/zero >&2; echo done >&2",
                    captureOutput: false,
                    onOutput: { chunk in
                        counts.withLock {
                            switch chunk {
                            case .stdout(let bytes): $0.stdout += bytes.count
                            case .stderr(let bytes): $0.stderr += bytes.count
                            }
                        }
                    })
                #expect(big.succeeded)
                #expect(big.stdout.isEmpty)
                #expect(counts.withLock { $0.stdout } == 52_428_800)
                #expect(counts.withLock { $0.stderr } == 5_000_005)
                let captured = try await connection.exec("head -c 3000000 /dev/zero >&2; head -c 3000000 /dev/zero")
                #expect(captured.stdout.count + captured.stdoutDropped == 3_000_000)
                #expect(captured.stderr.count + captured.stderrDropped == 3_000_000)
            }
        }

        @Test func timeoutStopsTheCommandAndKeepsTheSession() async throws {
            try await withConnection { connection, _ in
                let started = ContinuousClock.now
                await #expect {
                    try await connection.exec("sleep 31.7", timeout: .seconds(1))
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .timeout && error.description.contains("stopped on the host")
                }
                #expect(ContinuousClock.now - started < .seconds(4))
                let leftover = try await connection.exec("pgrep -f '^sleep 31.7$' || echo none")
                #expect(leftover.stdoutText == "none\n")
                let after = try await connection.exec("echo still here")
                #expect(after.stdoutText == "still here\n")
            }
        }

        @Test func channelsOfOneSessionRunConcurrently() async throws {
            try await withConnection { connection, _ in
                let started = ContinuousClock.now
                try await withThrowingTaskGroup(of: SSHExecResult.self) { group in
                    for index in 0..<8 { group.addTask { try await connection.exec("sleep 1; echo \(index)") } }
                    for try await result in group { #expect(result.succeeded) }
                }
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }

        @Test func uploadIsStreamedVerifiedAndRenamed() async throws {
            try await withConnection { connection, sandbox in
                let local = sandbox.directory + "/artifact.bin"
                var bytes = [UInt8](repeating: 0, count: 20 * 1024 * 1024)
                for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index / 4096) }
                _ = FileManager.default.createFile(atPath: local, contents: Data(bytes))
                let sent = Mutex<Int64>(0)
                let digest = try await connection.upload(localPath: local, remotePath: "/srv/artifact.bin", mode: 0o640) { total in
                    sent.withLock { $0 = total }
                }
                #expect(sent.withLock { $0 } == Int64(bytes.count))
                let expected = try TestSandbox.shell(["sha256sum", local]).prefix(64)
                #expect(digest == String(expected))
                let remote = try await connection.exec("sha256sum /srv/artifact.bin | cut -c1-64; stat -c %a /srv/artifact.bin; ls /srv")
                #expect(remote.stdoutText == "\(expected)\n640\nartifact.bin\n")
            }
        }

        @Test func aKnownDigestIsTrustedOnlyWhenTheHostAgrees() async throws {
            try await withConnection { connection, sandbox in
                let local = sandbox.directory + "/artifact.bin"
                _ = FileManager.default.createFile(atPath: local, contents: Data(repeating: 9, count: 300_000))
                let actual = String(try TestSandbox.shell(["sha256sum", local]).prefix(64))
                let digest = try await connection.upload(localPath: local, remotePath: "/srv/good.bin", expectedSHA256: actual)
                #expect(digest == actual)
                let wrong = String(repeating: "0", count: 64)
                await #expect {
                    try await connection.upload(localPath: local, remotePath: "/srv/bad.bin", expectedSHA256: wrong)
                } throws: { ($0 as! SSHError).kind == .verificationFailed }
                await #expect {
                    try await connection.upload(localPath: local, remotePath: "/srv/bad.bin", expectedSHA256: "$(touch /srv/pwned)")
                } throws: { ($0 as! SSHError).kind == .local }
                let listing = try await connection.exec("ls -A /srv")
                #expect(listing.stdoutText == "good.bin\n")
            }
        }

        @Test func corruptedUploadIsDetectedAndDiscarded() async throws {
            try await withConnection { connection, sandbox in
                let local = sandbox.directory + "/artifact.bin"
                _ = FileManager.default.createFile(atPath: local, contents: Data(repeating: 7, count: 1_000_000))
                await #expect {
                    try await connection.session.upload(localPath: local, remotePath: "/srv/artifact.bin", mode: 0o644, progress: nil) { chunk in
                        chunk[chunk.count / 2] ^= 0xFF
                    }
                } throws: { error in
                    let error = error as! SSHError
                    return error.kind == .verificationFailed && error.description.contains("left unchanged")
                }
                let listing = try await connection.exec("ls -A /srv")
                #expect(listing.stdoutText == "")
            }
        }
    }
}
