@testable import DeployerExecution
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a local child gets from `ProcessRunner` (swift-subprocess): default signals, its own process
/// group when asked, none of deployer's descriptors, its standard input streamed; and what deployer
/// gets back: the child stopped when the run is cancelled or its timeout passes, and no SIGPIPE when
/// a child leaves its input unread.
@Suite struct ProcessRunnerTests {
    static func text(_ output: ProcessRunner.Output) -> String { String(decoding: output.stdout, as: UTF8.self) }

    @Test func aChildHasNoSignalIgnoredOrBlockedThoughDeployerIgnoresSIGPIPE() async throws {
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "grep -E '^Sig(Ign|Blk)' /proc/self/status"])
        let masks = Self.text(output).split(separator: "\n").map { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
        // Signals 1–31 (SIGPIPE is 13); glibc keeps 32 and 33 for itself, and posix_spawn leaves them be.
        #expect(masks.count == 2 && masks.allSatisfy { $0.map { $0 & 0x7fff_ffff == 0 } == true }, "\(Self.text(output))")
    }

    @Test func aChildInItsOwnProcessGroupLeadsIt() async throws {
        let script = #"echo $$; cut -d' ' -f5 /proc/$$/stat"#
        let own = Self.text(try await ProcessRunner.run("/bin/sh", ["-c", script], input: nil, ownProcessGroup: true))
            .split(separator: "\n")
        #expect(own.count == 2 && own[0] == own[1], "pid and process group: \(own)")
        let shared = Self.text(try await ProcessRunner.run("/bin/sh", ["-c", script])).split(separator: "\n")
        #expect(shared.last.map(String.init) == String(getpgrp()))
    }

    /// The pipe's ends are moved to numbers the child never opens itself: `ls` reads its own
    /// listing through the lowest free descriptor, 3, which a pipe made in a test process with few
    /// descriptors open could also be (the test failed so, "the child has 0 1 2 3").
    @Test func noDescriptorOfDeployersReachesAChild() async throws {
        var pair: [Int32] = [-1, -1]
        #expect(pipe(&pair) == 0)
        let ends = pair.map { fcntl($0, F_DUPFD, 200) }
        pair.forEach { _ = close($0) }
        defer { ends.forEach { _ = close($0) } }
        #expect(ends.allSatisfy { $0 >= 200 })
        let listed = Self.text(try await ProcessRunner.run("/bin/ls", ["/proc/self/fd"])).split(separator: "\n").map(String.init)
        #expect(listed.contains("2"))
        #expect(!listed.contains(String(ends[0])) && !listed.contains(String(ends[1])), "the child has \(listed)")
    }

    @Test func inputPiecesAreStreamedInOrder() async throws {
        let file = NSTemporaryDirectory() + "deployer-runner-" + UUID().uuidString
        try Data(repeating: UInt8(ascii: "f"), count: 3 << 20).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try await ProcessRunner.run("/bin/cat", [],
                                                 input: [.bytes(Array("ab".utf8)), .file(path: file), .bytes(Array("z".utf8))])
        var expected: [UInt8] = Array("ab".utf8)
        expected += [UInt8](repeating: UInt8(ascii: "f"), count: 3 << 20)
        expected += Array("z".utf8)
        #expect(output.stdout == expected)
    }

    /// A notify command that exits without reading the run's summary: the write fails (EPIPE), the
    /// run gets the command's exit status, and deployer is not killed by SIGPIPE.
    @Test func aChildThatLeavesItsInputUnreadDoesNotStopDeployer() async throws {
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "exit 3"], stdin: [UInt8](repeating: 0, count: 8 << 20))
        #expect(output.status == 3 && !output.signaled)
    }

    @Test func aTimeoutSendsSIGTERMAndSaysSo() async throws {
        let start = ContinuousClock.now
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "exec sleep 30"], timeout: 0.5)
        #expect(output.timedOut && output.signaled && output.status == SIGTERM)
        #expect(start.duration(to: .now) < .seconds(20))
    }

    /// A step whose controller deadline passes cancels its run (`DeadlineRace`): its ssh or shell is
    /// stopped then, instead of running on unseen (ProcessRunner's threads ignored cancellation).
    @Test func cancellingTheRunStopsTheChild() async throws {
        let started = Atomic<Bool>(false)
        let run = Task {
            try await ProcessRunner.run("/bin/sh", ["-c", "echo started; exec sleep 60"], input: nil) { _, _ in
                started.store(true, ordering: .releasing)
            }
        }
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(20)) }
        let cancelled = ContinuousClock.now
        run.cancel()
        let output = try await run.value
        #expect(output.signaled && output.status == SIGTERM)
        #expect(cancelled.duration(to: .now) < .seconds(20), "sleep 60 was stopped, not waited for")
    }

    @Test func aFileThatCannotBeReadIsRefusedBeforeTheChildStarts() async throws {
        do {
            _ = try await ProcessRunner.run("/bin/sh", ["-c", "exit 0"], input: [.file(path: "/nonexistent/input")])
            Issue.record("the child was started")
        } catch {
            #expect(error is ProcessRunner.UnreadableInput, "\(error)")
        }
    }
}
