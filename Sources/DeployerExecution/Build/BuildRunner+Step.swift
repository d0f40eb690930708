import DeployerModel
import Foundation
import Subprocess
import SystemPackage

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
            ended = try await runStep(step, in: directory, environment: environment)
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

    private func runStep(_ step: BuildStep, in directory: String, environment: [String: String]) async throws -> StepEnd {
        let lines = BuildOutputLines(step: step.name, reporter: reporter, mask: mask, keep: Self.tailLines)
        let deadline = step.timeoutSeconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true,
                                          allowedDurationToNextStep: .milliseconds(Int(Self.killGraceSeconds * 1000)))]
        let result = try await Subprocess.run(
            .path("/bin/sh"), arguments: ["-c", step.script], environment: ProcessRunner.environment(environment),
            workingDirectory: FilePath(directory), platformOptions: options, input: .none, output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            let watcher = StepWatcher(group: execution.processIdentifier.value, control: control, deadline: deadline,
                                      grace: Self.killGraceSeconds)
            async let verdict = watcher.watch()
            for try await buffer in execution.standardOutput { lines.feed(buffer.withUnsafeBytes { Array($0) }) }
            lines.finish()
            return await verdict
        }
        let verdict = result.closureResult
        let status: Int
        switch result.terminationStatus {
        case let .exited(code): status = verdict.timedOut ? 124 : Int(code)
        case let .signaled(signal): status = verdict.timedOut ? 124 : 128 + Int(signal)
        }
        return StepEnd(status: status, timedOut: verdict.timedOut, stoppedBy: verdict.stoppedBy, tail: lines.tail)
    }
}
