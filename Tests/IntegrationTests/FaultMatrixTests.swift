import DeployerModel
import Foundation
import Testing

/// The fault matrix (docs/faults.md): real faults on real sshd hosts at every
/// phase of a push and of a rollback, and what must hold afterwards on every
/// host: `current` points at a complete release, `shared/` is unchanged, the
/// lock is released or the run said it could not be, history records the run
/// (or the run said the host was out of reach), and the run's exit status and
/// message name the host and the fault. Then the faults are undone and the
/// next run recovers.
@Suite(.serialized, .tags(.sandbox)) struct FaultMatrixTests {
    /// One push (or rollback) per phase, every fault that can happen there on a host of its own. Over
    /// the OpenSSH transport only the faults that break the connection: what a command meets on the
    /// host (a full disk, a timeout) reaches deployer the same way over both transports.
    @Test(arguments: FaultPhase.allCases, SSHTransportKind.allCases)
    func everyHostFaultAt(_ phase: FaultPhase, over transport: SSHTransportKind) async throws {
        let faults = HostFault.allCases.filter { $0.applies(at: phase) && (transport == .libssh2 || $0.breaksTheConnection) }
        try await FaultBench.with(faults: faults, transport: transport) { bench in
            let sandbox = bench.sandbox
            let app = try await FaultApp(hosts: sandbox.hosts)
            defer { app.remove() }
            let (firstRelease, before) = try await bench.prepare(phase, app)

            let armed = try bench.arm(phase)
            let report = try await bench.run([phase.command, "staging"], in: app, injectingAt: phase)
            for (host, fault) in armed where fault.bites(at: phase) {
                let about = report.about(host)
                #expect(fault.symptoms.contains { about.contains($0) },
                        "\(phase) \(fault): the message does not name \(host) and the fault:\n\(report.run.output)")
            }
            // A fault at finish leaves the new release live everywhere: exit 0, with the hosts' failures in the note.
            let status: Int32 = phase == .finish ? 0 : armed.contains { $0.fault.cutsTheHostOff } ? 4 : 1
            #expect(report.status == status, "\(report.run.output)")

            try await bench.heal()
            let after = try await bench.states()
            for host in sandbox.hosts {
                bench.expectHeld(after[host]!, before: before[host]!, host: host, after: report)
            }

            if after.values.contains(where: \.locked) {
                let status = try await sandbox.deployer(["status", "staging"], in: app.path)
                #expect(status.status == 0 && status.output.contains("held by"), "\(status.output)")
                let unlock = try await sandbox.deployer(["unlock", "staging", "--yes"], in: app.path)
                #expect(unlock.status == 0, "\(unlock.output)")
            }
            let recovery = phase == .rollback ? ["rollback", "staging", "--to", firstRelease] : ["push", "staging"]
            try await bench.expectRecovery(recovery, in: app, before: before)
        }
    }

    /// The controller SIGKILLed while host2 is at `phase`: nothing of it is left on the controller (no
    /// `ssh` master, no control socket: the OpenSSH transport's watchdog), `current` still points at complete releases,
    /// `status` shows the dead run's lock, then shows it stale once its heartbeat is old; a push
    /// refuses until told to break it, then recovers: the half-made release never becomes current
    /// and the current one is never pruned.
    @Test(arguments: [FaultPhase.lock, .upload, .prepareTask, .switch, .afterSwitch, .finish, .rollback], SSHTransportKind.allCases)
    func controllerKilledAt(_ phase: FaultPhase, over transport: SSHTransportKind) async throws {
        try await FaultBench.with(healthy: 2, faults: [], transport: transport) { bench in
            let sandbox = bench.sandbox
            let app = try await FaultApp(hosts: sandbox.hosts)
            defer { app.remove() }
            let (firstRelease, before) = try await bench.prepare(phase, app)
            try bench.pause(phase, on: "host2")
            let killed = try await bench.start([phase.command, "staging"], in: app) {
                try await bench.waitUntilReached(phase, on: "host2")
                // The run has taken a lock somewhere (an upload may come before it).
                try await waitFor {
                    for host in sandbox.hosts where try await sandbox.exists(host, "\(FaultBench.deployTo)/.deployer/lock") { return true }
                    return false
                }
            }
            killed.killHard()
            let dead = RunReport(await killed.wait())
            // Nothing of the dead run stays on the controller: no ssh master (OpenSSH: the watchdog stopped them), no socket.
            try await sandbox.expectNothingLeftBehind()
            try bench.resume(phase, on: "host2")
            for host in sandbox.hosts { try await sandbox.waitUntilIdle(host) }

            let states = try await bench.states()
            let locked = sandbox.hosts.filter { states[$0]!.locked }
            #expect(!locked.isEmpty, "\(dead.run.output)")
            for host in sandbox.hosts {
                #expect(states[host]!.current != nil && states[host]!.currentIsComplete, "\(host): \(states[host]!)")
                #expect(states[host]!.shared == before[host]!.shared, "\(host): shared/ changed")
            }
            let status = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(status.status == 0 && status.output.contains("held by") && !status.output.contains("(stale)"), "\(status.output)")
            // Time passes: the dead run's lease is no longer refreshed.
            for host in locked {
                try await sandbox.root(host, "echo $(( $(date +%s) - 600 )) >\(FaultBench.deployTo)/.deployer/lock/heartbeat")
            }
            let stale = try await sandbox.deployer(["status", "staging"], in: app.path)
            #expect(stale.output.contains("(stale)"), "\(stale.output)")
            let refused = try await sandbox.deployer([phase.command, "staging"], in: app.path)
            #expect(refused.status == 3 && refused.output.contains("is locked by") && refused.output.contains("--break-stale-lock"),
                    "\(refused.output)")

            let recovery = (phase == .rollback ? ["rollback", "staging", "--to", firstRelease] : ["push", "staging"])
                + ["--break-stale-lock"]
            try await bench.expectRecovery(recovery, in: app, before: before)
            let after = try await bench.states()
            // Killed before every host had prepared, the run's release is half-made: it never becomes current.
            // Killed later, it is complete everywhere, and the recovery push of the same revision joins it (024346b),
            // redoing every host the killed run did not finish (expectRecovery: each has the recovery in its history).
            for host in sandbox.hosts where [.lock, .upload, .prepareTask].contains(phase) {
                #expect(after[host]!.current != dead.release, "\(host) runs the killed run's release")
            }
            for host in sandbox.hosts where [.switch, .afterSwitch, .finish].contains(phase) {
                #expect(dead.release != nil && after[host]!.current == dead.release, "\(host) does not run the joined release")
            }
            let broken = try #require(locked.first)
            #expect(try await sandbox.exec(broken, "cat \(FaultBench.deployTo)/.deployer/history.jsonl").contains("lock_broken"))
        }
    }

    /// Two runs at once, or a second run while the first waits at `phase` on host2: never both
    /// inside the lock; the one refused exits 3 naming the lock's holder; the fleet ends on one
    /// complete release, unlocked, with a run that succeeded last in every host's history.
    @Test(arguments: [
        Race(phase: .lock, first: "push", second: "push"), Race(phase: .lock, first: "push", second: "rollback"),
        Race(phase: .prepareTask, first: "push", second: "push"), Race(phase: .switch, first: "push", second: "push"),
        Race(phase: .finish, first: "push", second: "push"), Race(phase: .afterSwitch, first: "push", second: "rollback"),
        Race(phase: .rollback, first: "rollback", second: "push"),
    ])
    func racing(_ race: Race) async throws {
        try await FaultBench.with(healthy: 2, faults: []) { bench in
            let sandbox = bench.sandbox
            let app = try await FaultApp(hosts: sandbox.hosts)
            defer { app.remove() }
            // Two releases already (a rollback has a target) and a third revision to push (it prunes the first).
            let (_, before) = try await bench.prepare(.finish, app)
            let runs: [RunReport]
            if race.phase == .lock {
                // Started together. Whichever takes the lock waits at its switch on host2 until the other
                // has finished, so the other always meets the lock held (it never starts after the first is done).
                try bench.pause(.switch, on: "host2")
                let processes = try [race.first, race.second].map {
                    try DeployerProcess([$0, "staging"], in: app.path, sshConfig: sandbox.sshConfig)
                }
                runs = try await withThrowingTaskGroup(of: (Int, DeployerRun).self) { group in
                    for (index, process) in processes.enumerated() { group.addTask { (index, await process.wait()) } }
                    var finished: [Int: DeployerRun] = [:]
                    while let (index, run) = try await group.next() {
                        finished[index] = run
                        if finished.count == 1 { try bench.resume(.switch, on: "host2") }
                    }
                    return [RunReport(finished[0]!), RunReport(finished[1]!)]
                }
            } else {
                try bench.pause(race.phase, on: "host2")
                let first = try await bench.start([race.first, "staging"], in: app) {
                    try await bench.waitUntilReached(race.phase, on: "host2")
                }
                let second = RunReport(try await sandbox.deployer([race.second, "staging"], in: app.path))
                try bench.resume(race.phase, on: "host2")
                runs = [RunReport(await first.wait()), second]
                #expect(second.status == 3, "\(second.run.output)")
            }
            let statuses = runs.map(\.status).sorted()
            #expect(statuses == [0, 3], "\(runs.map(\.run.output))")
            if let loser = runs.first(where: { $0.status == 3 }), let winner = runs.first(where: { $0.status == 0 }) {
                #expect(loser.run.output.contains("is locked by") && loser.run.output.contains(winner.runID ?? "?"),
                        "\(loser.run.output)")
            }
            let succeeded = Set(runs.filter { $0.status == 0 }.compactMap(\.runID))
            let states = try await bench.states()
            for host in sandbox.hosts {
                let state = states[host]!
                #expect(state.current == states["host1"]!.current && state.currentIsComplete && !state.locked, "\(host): \(state)")
                #expect(state.lastHistory == states["host1"]!.lastHistory && succeeded.contains(state.lastHistory?.runID ?? "-"),
                        "\(host): \(state)")
                #expect(state.shared == before[host]!.shared, "\(host): shared/ changed")
            }
        }
    }

    struct Race: Sendable, CustomTestStringConvertible {
        /// Where the first run waits on host2 while the second starts; `lock`: both start together.
        var phase: FaultPhase
        var first: String
        var second: String
        var testDescription: String { phase == .lock ? "\(first) and \(second) at once" : "\(second) while a \(first) is at \(phase)" }
    }
}
