import Foundation
import Testing

/// A host that stops answering once connected, or a step that outlives its deadline, fails that
/// host in bounded time: nothing switches, and the locks are released (issue 21, item 4).
@Suite(.tags(.sandbox)) struct DeadlineTests {
    /// The host's sessions are frozen (SIGSTOP) while its prepare task runs: TCP stays up and nothing is
    /// reset, so only keepalives notice. The push ends within `ServerAliveInterval` × `ServerAliveCountMax`
    /// (plus the steps after), names the host as gone silent (exit 4), switches nothing, and the next
    /// connection releases the lock on both hosts.
    @Test func aHostThatStopsAnsweringAfterLoginFailsWithinItsKeepaliveLimit() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let config = try sandbox.sshConfig("keepalive_config", giving: "host2", ["ServerAliveInterval 1", "ServerAliveCountMax 2"])
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  wait_here:
                    phase: prepare
                    run: "if [ -e /srv/hold ]; then touch {{ shared }}/held; sleep 60; fi"
                """)
            defer { app.remove() }
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let release = try await sandbox.current("host1")
            try await sandbox.root("host2", "touch /srv/hold")
            try await app.newRevision("2")
            let push = try DeployerProcess(["push", "staging"], in: app.path, sshConfig: config)
            let (result, took) = try await freezeHost2(sandbox, during: push, seconds: 60) {
                try await sandbox.exists("host2", "/srv/app/shared/held")
            }
            #expect(took < .seconds(20), "the push took \(took) after host2 stopped answering")
            #expect(result.status == 4, "\(result.output)")
            #expect(result.output.contains("host2") && result.output.contains("went silent"), "\(result.output)")
            try await expectEveryHost(of: sandbox, on: release)
        }
    }

    /// A prepare task that ignores the TERM its `timeout: 2s` sends on the host (so the host never stops
    /// it) fails its host at the controller's deadline for the step, the task's timeout plus a documented
    /// allowance, while the connection itself stays healthy: exit 1, the host and the deadline named,
    /// nothing switched, no lock left.
    @Test func aStepPastItsDeadlineFailsItsHostWhileTheConnectionLives() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  stubborn:
                    phase: prepare
                    timeout: 2s
                    run: "if [ -e /srv/stall ]; then trap '' TERM; echo $$ >{{ shared }}/stall.pid; exec sleep 120; fi"
                """)
            defer { app.remove() }
            let first = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(first.status == 0, "\(first.output)")
            let release = try await sandbox.current("host1")
            try await sandbox.root("host2", "touch /srv/stall")
            try await app.newRevision("2")
            let started = ContinuousClock.now
            let result = try await sandbox.deployer(["push", "staging"], in: app.path)
            let took = started.duration(to: .now)
            try await sandbox.root("host2", "kill -KILL $(cat /srv/app/shared/stall.pid) 2>/dev/null; true")
            #expect(took < .seconds(90), "the push took \(took)")
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("host2") && result.output.contains("deadline"), "\(result.output)")
            try await expectEveryHost(of: sandbox, on: release)
        }
    }

    /// `deployer run` has the push's protection: host2's sessions frozen (SIGSTOP) while its command
    /// runs, the run ends within `ServerAliveInterval` × `ServerAliveCountMax` with exit 4, host2
    /// named as gone silent and host1's result kept.
    @Test func aRunOnAHostThatStopsAnsweringFailsWithinItsKeepaliveLimit() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let config = try sandbox.sshConfig("keepalive_config", giving: "host2", ["ServerAliveInterval 1", "ServerAliveCountMax 2"])
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let run = try DeployerProcess(["run", "staging", "--format", "json", "--",
                                           "if [ {{ host }} = host2 ]; then echo frozen-next; sleep 60; fi; echo done"],
                                          in: app.path, sshConfig: config)
            defer { run.killHard() }
            let (result, took) = try await freezeHost2(sandbox, during: run) { run.output.contains("frozen-next") }
            #expect(took < .seconds(15), "the run took \(took) after host2 stopped answering")
            #expect(result.status == 4, "\(result.output)")
            #expect(result.output.contains("went silent") && result.output.contains("host2"), "\(result.output)")
            #expect(result.output.contains("1 ok"), "\(result.output)")
        }
    }

    /// `run --timeout 3` is the controller's limit too, not only timeout(1)'s on the host: host2's
    /// sessions frozen (so the host stops nothing and reports nothing) under the default keepalives
    /// (15 s × 3), the run still ends a few seconds past its timeout, exit 1, host2 named with the timeout.
    @Test func aRunsTimeoutHoldsOnTheControllerWhenTheHostCannotStopTheCommand() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let run = try sandbox.start(["run", "staging", "--timeout", "3", "--format", "json", "--",
                                         "if [ {{ host }} = host2 ]; then echo frozen-next; sleep 60; fi; echo done"],
                                        in: app.path)
            defer { run.killHard() }
            let (result, took) = try await freezeHost2(sandbox, during: run) { run.output.contains("frozen-next") }
            #expect(took < .seconds(20), "the run took \(took) with --timeout 3")
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("host2") && result.output.contains("did not finish within"), "\(result.output)")
        }
    }

    /// Waits until `ready`, then freezes host2's sessions (SIGSTOP: TCP stays up and nothing answers)
    /// and returns how `process` ended and how long after the freeze; host2's sessions are killed after.
    private func freezeHost2(_ sandbox: Sandbox, during process: DeployerProcess, seconds: Double = 30,
                             once ready: () async throws -> Bool) async throws -> (DeployerRun, Duration) {
        try await waitFor(seconds: seconds, ready)
        try await sandbox.signalSessions("host2", "STOP")
        let frozen = ContinuousClock.now
        let result = await process.wait()
        let took = frozen.duration(to: .now)
        try await sandbox.signalSessions("host2", "KILL")
        return (result, took)
    }

    /// Nothing switched and no lock left: every host still runs `release`.
    private func expectEveryHost(of sandbox: Sandbox, on release: String?) async throws {
        for host in sandbox.hosts {
            #expect(try await sandbox.current(host) == release, "\(host) switched")
            #expect(try await !sandbox.exists(host, "/srv/app/.deployer/lock"), "\(host) is still locked")
        }
    }
}
