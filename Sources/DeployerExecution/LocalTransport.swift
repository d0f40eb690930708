import DeployerModel
import Foundation

/// Runs commands on the controller with `/bin/sh`, and "uploads" by copying:
/// the transport of controller-side tasks and of the executor's unit tests.
public struct LocalTransport: Transport {
    public init() {}

    public func run(_ command: String, stdin: [UInt8]?, timeout: Double?,
                    onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        let output: ProcessRunner.Output
        do {
            output = try await ProcessRunner.run("/bin/sh", ["-c", command], stdin: stdin, timeout: timeout) {
                isStderr, bytes in onOutput?(isStderr ? .stderr(bytes) : .stdout(bytes))
            }
        } catch {
            throw TransportError(.unreachable, "could not start /bin/sh: \(error)")
        }
        return CommandResult(exitStatus: Int(output.status), exitSignal: output.signaled ? String(output.status) : nil,
                             stdout: String(decoding: output.stdout, as: UTF8.self),
                             stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    public func upload(localPath: String, remotePath: String, mode: Int32, sha256: String) async throws(TransportError) -> String {
        let partial = remotePath + ".partial"
        let command = ShellQuote.join(["cp", localPath, partial]) + " && "
            + ShellQuote.join(["chmod", String(mode, radix: 8), partial]) + " && "
            + ShellQuote.join(["mv", "-f", partial, remotePath]) + " && "
            + ShellQuote.join(["sha256sum", remotePath])
        let result = try await run(command, stdin: nil, timeout: nil, onOutput: nil)
        guard result.succeeded else { throw TransportError(.uploadFailed, result.stderr) }
        return String(result.stdout.prefix(64))
    }

    public func close() async {}
}
