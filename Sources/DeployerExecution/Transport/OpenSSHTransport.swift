import DeployerModel
import Foundation
import SSH

/// A host through the system's OpenSSH client: one master connection per host (`OpenSSHConnector`
/// starts it), and every command a `ssh -S SOCKET HOST COMMAND` through that master, its standard
/// input streamed from deployer (the artifact too), its output passed on as it arrives.
///
/// Commands run as with `SSHTransport`: the host's login shell runs them, under timeout(1) when they
/// have a timeout. ssh exits 255 both when the connection fails and when a command exits 255 (or is
/// killed by a signal); the master still answering tells the two apart. A command never goes around
/// a master that is gone: it fails as a lost connection, and a later step connects the host again.
public struct OpenSSHTransport: Transport {
    /// The OpenSSH client.
    let ssh: String
    let line: OpenSSHCommandLine
    /// The master's log (`-E`), where ssh says why the connection ended.
    let masterLog: String
    let environment: [String: String]

    public func run(_ command: String, input: [CommandInput], timeout: Double?,
                    onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        let remote = SSHConnection.remoteCommand(command, timeout: timeout.map { .milliseconds(Int($0 * 1000)) })
        let started = ContinuousClock.now
        let output = try await ssh(line.command(remote), input: input.isEmpty ? nil : input,
                                   timeout: timeout.map { $0 + Double(SSHConnection.killGrace + 2) }, onOutput: onOutput)
        if output.timedOut {
            throw TransportError(.timeout, "`\(command)` did not finish within \(Self.seconds(timeout)) and did not stop "
                                 + "when told to; ssh was stopped, so the command may still run on the host")
        }
        let said = String(decoding: output.stderr, as: UTF8.self)
        if output.status == 255, !output.signaled, await connectionClosed(said) {
            // `-O proxy` (OpenSSHCommandLine.command) says so when it finds no master: the command never started.
            let when = said.contains("Control socket connect")
                ? "the connection had broken before `\(command)` could start, so it did not run: "
                : "the connection broke while `\(command)` ran, so its outcome is unknown: "
            throw TransportError(.connectionLost, when + OpenSSHFailure.describe(log + "\n" + said, line: line))
        }
        if let timeout, output.status == 124 || output.status == 137, started.duration(to: .now) >= .milliseconds(Int(timeout * 1000)) {
            throw TransportError(.timeout, "`\(command)` did not finish within \(Self.seconds(timeout)); it was stopped on the "
                                 + "host (timeout(1): TERM, then KILL after \(SSHConnection.killGrace) s)")
        }
        return CommandResult(exitStatus: Int(output.status), stdout: String(decoding: output.stdout, as: UTF8.self),
                             stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    /// Whether ssh's standard error ends with its own word that the connection closed before the
    /// command's exit status came (`Connection to HOST closed by remote host.`): a master that timed
    /// out on keepalives closes its clients so, and may still answer `-O check` for a moment after.
    static func sawTheConnectionClose(_ stderr: String) -> Bool {
        let last = stderr.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return last.hasPrefix("Connection to ") && last.hasSuffix(" closed by remote host.")
    }

    /// Asks the master to exit; its socket goes with it (the run's directory goes when deployer exits).
    public func close() async {
        _ = try? await ssh(line.control("exit"), input: nil, timeout: 10, onOutput: nil)
    }

    /// Whether an exit status 255 with `stderr` means the connection closed rather than the command
    /// exiting 255: ssh said so, or the master is gone. When ssh said so, waits up to 5 s for the
    /// master to end, so that its log says why (a master that timed out on keepalives closes its
    /// clients before it has written "not responding").
    private func connectionClosed(_ stderr: String) async -> Bool {
        guard Self.sawTheConnectionClose(stderr) else { return await !masterIsRunning() }
        let deadline = ContinuousClock.now + .seconds(5)
        while await masterIsRunning(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        return true
    }

    /// Whether the master still serves this host (`ssh -O check`).
    func masterIsRunning() async -> Bool {
        (try? await ssh(line.control("check"), input: nil, timeout: 10, onOutput: nil))?.status == 0
    }

    /// What the master wrote to its log.
    var log: String { (try? String(contentsOfFile: masterLog, encoding: .utf8)) ?? "" }

    /// Runs `ssh` with `arguments`, in a process group of its own so that a Ctrl-C reaches deployer only.
    private func ssh(_ arguments: [String], input: [CommandInput]?, timeout: Double?,
                     onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> ProcessRunner.Output {
        var passing: (@Sendable (Bool, [UInt8]) -> Void)?
        if let onOutput {
            passing = { isStderr, bytes in onOutput(isStderr ? .stderr(bytes) : .stdout(bytes)) }
        }
        do {
            return try await ProcessRunner.run(ssh, arguments, input: input, environment: environment, ownProcessGroup: true,
                                               timeout: timeout, onOutput: passing)
        } catch {
            throw TransportError(.local, "\(error)")
        }
    }

    /// `12 s`, `1.5 s`.
    private static func seconds(_ value: Double?) -> String {
        guard let value else { return "0 s" }
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
