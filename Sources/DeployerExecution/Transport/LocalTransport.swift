import DeployerModel
import Foundation

/// Runs commands on the controller with `/bin/sh`: the transport of controller-side tasks and
/// of the executor's unit tests. A file in the input is read whole (these carry small ones).
public struct LocalTransport: Transport {
    public init() {}

    public func run(_ command: String, input: [CommandInput], timeout: Double?,
                    onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        var stdin: [UInt8]? = input.isEmpty ? nil : []
        for piece in input {
            switch piece {
            case let .bytes(bytes): stdin! += bytes
            case let .file(path):
                guard let contents = FileManager.default.contents(atPath: path) else {
                    throw TransportError(.local, "cannot read \(path)")
                }
                stdin! += contents
            }
        }
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

    public func close() async {}
}
