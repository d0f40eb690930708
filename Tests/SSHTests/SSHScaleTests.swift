import Foundation
import Testing
import SSH

extension SandboxSuites {
    /// Many hosts at once from one process: every session has its own sleeping thread, none blocks
    /// Swift's cooperative pool.
    @Suite("SSH at scale", .serialized)
    struct SSHScaleTests {
        @Test func hundredHostsAtOnce() async throws {
            try await TestSandbox.with(hosts: 100) { sandbox in
                let targets = try sandbox.hosts.map { try sandbox.target($0.alias) }
                let outputs = try await withThrowingTaskGroup(of: (String, String).self) { group in
                    for target in targets {
                        group.addTask {
                            let connection = try await SSHConnection.connect(to: target)
                            let result = try await connection.exec("echo $((6 * 7)) from $(hostname)")
                            await connection.close()
                            return (target.name, result.stdoutText)
                        }
                    }
                    var outputs: [String: String] = [:]
                    for try await (name, text) in group { outputs[name] = text }
                    return outputs
                }
                #expect(outputs.count == 100)
                #expect(outputs.values.allSatisfy { $0.hasPrefix("42 from ") })
            }
        }

        /// `count` connections to host1 at once, each running `echo ok`; what each printed or its error.
        private func connectAtOnce(_ count: Int, to target: SSHTarget, throttle: HandshakeThrottle?) async -> [String] {
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        do {
                            let connection = try await SSHConnection.connect(to: target, throttle: throttle)
                            let result = try await connection.exec("echo ok")
                            await connection.close()
                            return result.stdoutText
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
        }

        /// How many connections host1's sshd dropped past MaxStartups.
        private func drops(_ sandbox: TestSandbox) throws -> Int {
            let log = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
            return log.components(separatedBy: "past MaxStartups").count - 1
        }

        /// sshd past `MaxStartups` writes "Not allowed at this time" and hangs up; libssh2 keeps
        /// that line as the banner, and the connection is tried again (it failed at once before).
        @Test func aConnectionRefusedPastMaxStartupsIsTriedAgain() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["MaxStartups 3:100:3"])
                let outcomes = await connectAtOnce(10, to: try sandbox.target("host1"), throttle: nil)
                let failures = outcomes.filter { $0 != "ok\n" }
                #expect(failures.isEmpty, "\(failures.count) of 10 failed: \(failures.first ?? "")")
                #expect(try drops(sandbox) > 0, "sshd refused none: the retry was not exercised")
            }
        }

        /// Forty connections at once to an sshd with `MaxStartups 3:100:3` (every unauthenticated
        /// connection past the third dropped): through a throttle of 1 all get in and sshd drops
        /// none. Without the throttle, 3 of 40 failed after five tries and sshd dropped 117; with
        /// a throttle of 3 none failed but sshd dropped 16, and at 2 some under load: sshd counts
        /// a connection as starting until its post-authentication child runs, a moment after the
        /// client saw it authenticated.
        @Test func fortyConnectionsAtOnceToAnSSHDThatAdmitsThree() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                try await sandbox.reconfigure("host1", adding: ["MaxStartups 3:100:3"])
                let throttle = HandshakeThrottle(limit: 1)
                let outcomes = await connectAtOnce(40, to: try sandbox.target("host1"), throttle: throttle)
                let failures = outcomes.filter { $0 != "ok\n" }
                #expect(failures.isEmpty, "\(failures.count) of 40 failed: \(failures.first ?? "")")
                #expect(try drops(sandbox) == 0)
                #expect(await throttle.peakInFlight == 1)
            }
        }

        /// A connection's ConnectTimeout counts from its turn: four connections with a 1 s timeout
        /// wait 2 s behind a held throttle, then all connect.
        @Test func aConnectTimeoutStartsWhenTheTurnComes() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                var target = try sandbox.target("host1")
                target.connectTimeout = .seconds(1)
                let throttle = HandshakeThrottle(limit: 1)
                let started = ContinuousClock.now
                let holder = Task { try await throttle.admit { try await Task.sleep(for: .seconds(2)) } }
                try await Task.sleep(for: .milliseconds(20))
                let hosts = try await withThrowingTaskGroup(of: String.self) { [target] group in
                    for _ in 0..<4 {
                        group.addTask {
                            let connection = try await SSHConnection.connect(to: target, throttle: throttle)
                            await connection.close()
                            return connection.target.name
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                try await holder.value
                #expect(hosts == Array(repeating: "host1", count: 4))
                #expect(started.duration(to: .now) >= .seconds(2))
            }
        }
    }
}
