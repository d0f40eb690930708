import DeployerModel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension BuildRunner {
    /// Seconds between SIGTERM to a step's process group and SIGKILL.
    static let killGraceSeconds = 3.0

    /// Runs `step` by `/bin/sh -c` in `directory` as the leader of a process group of its own, each
    /// line it prints reported as it comes (standard error merged into standard output, in order).
    /// Ctrl-C (a stop request on `control`) or the step's timeout stops the whole group: SIGTERM, then
    /// SIGKILL after `killGraceSeconds`; a timed-out step ends with exit status 124, as on hosts. When
    /// the step ends, what it left running in its group is killed, so no child outlives the build.
    func run(_ step: BuildStep, in directory: String, environment: [String: String]) async throws(BuildFailure) {
        let command = mask.apply(step.command)
        reporter.report(.buildStepStarted(step: step.name, command: command))
        let start = ContinuousClock.now
        let ended: StepEnd
        do {
            ended = try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result { try runBlocking(step, in: directory, environment: environment) })
                }.start()
            }
        } catch {
            throw BuildFailure(.failed, "cannot start build step '\(step.name)': \(error)")
        }
        let seconds = start.duration(to: .now).seconds
        reporter.report(.buildStepFinished(step: step.name, seconds: seconds, exitStatus: ended.status))
        guard ended.status != 0 else { return }
        let tail = ended.tail.isEmpty ? "" : "\n  last lines of its output:\n" + ended.tail.map { "    " + $0 }.joined(separator: "\n")
        if let reason = ended.stoppedBy {
            throw BuildFailure(.interrupted, "\(reason): build step '\(step.name)' was stopped (its process group killed); "
                + "nothing was changed on any host\n  command: \(command)" + tail)
        }
        let how = ended.timedOut ? "ran past its timeout of \(Self.seconds(step.timeoutSeconds ?? 0)) and was stopped (exit status 124)"
            : "failed with exit status \(ended.status)"
        throw BuildFailure(.failed, "build step '\(step.name)' \(how) on the controller; nothing was changed on any host"
            + "\n  command: \(command)" + tail)
    }

    /// `90 s`, `1.5 s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// How a step's process ended, and the last lines it printed (secrets masked).
    struct StepEnd: Sendable {
        var status: Int
        var timedOut: Bool
        var stoppedBy: String?
        var tail: [String]
    }

    private func runBlocking(_ step: BuildStep, in directory: String, environment: [String: String]) throws -> StepEnd {
        let child = try ChildProcess("/bin/sh", ["-c", step.script], environment: environment, currentDirectory: directory,
                                     stdin: .null, stdout: .pipe, stderr: .standardOutput, ownGroup: true)
        let lines = BuildOutputLines(step: step.name, reporter: reporter, mask: mask, keep: Self.tailLines)
        let readerDone = DispatchSemaphore(value: 0)
        Thread {
            while true {
                let bytes = child.standardOutput!.readChunkRetryingInterrupts()
                if bytes.isEmpty { break }
                lines.feed(bytes)
            }
            lines.finish()
            readerDone.signal()
        }.start()
        let deadline = step.timeoutSeconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        let watcher = StepWatcher(child: child, control: control, deadline: deadline, grace: Self.killGraceSeconds)
        Thread { watcher.watch() }.start()
        let exit = child.waitForExit()
        child.signalGroup(SIGKILL)
        watcher.stop()
        readerDone.wait()
        let verdict = watcher.verdict
        let status = verdict.timedOut ? 124 : exit.signaled ? 128 + Int(exit.status) : Int(exit.status)
        return StepEnd(status: status, timedOut: verdict.timedOut, stoppedBy: verdict.stoppedBy, tail: lines.tail)
    }
}
