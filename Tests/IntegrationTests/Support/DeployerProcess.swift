import DeployerExecution
import Foundation

/// How a `deployer` process ended.
struct DeployerRun: Sendable {
    var status: Int32
    var output: String
}

/// A running `deployer` executable (built beside the test bundle), so tests
/// can signal it (Ctrl-C) and read what it printed.
final class DeployerProcess: @unchecked Sendable {
    private let process: ChildProcess
    private let lock = NSLock()
    private var collected: [UInt8] = []
    private let finished = DispatchGroup()

    static var executable: String {
        let tests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var directory = tests
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("deployer").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return tests.appendingPathComponent("deployer").path
    }

    /// `cacheHome`: the controller's cache directory (`XDG_CACHE_HOME`), `.cache` in `directory` unless given;
    /// `overrides`: variables set (or, nil, removed) in deployer's environment.
    init(_ arguments: [String], in directory: String, sshConfig: String, cacheHome: String? = nil,
         overrides: [String: String?] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["DEPLOYER_SSH_CONFIG"] = sshConfig
        environment["XDG_CACHE_HOME"] = cacheHome ?? directory + "/.cache"
        for (name, value) in overrides { environment[name] = value }
        process = try ChildProcess(DeployerProcess.executable, arguments, environment: environment, currentDirectory: directory,
                                   stderr: .standardOutput)
        finished.enter()
        let handle = process.standardOutput!
        Thread { [self] in
            while true {
                let data = handle.readChunkRetryingInterrupts()
                if data.isEmpty { break }
                lock.withLock { collected.append(contentsOf: data) }
            }
            finished.leave()
        }.start()
    }

    var output: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    func interrupt() { process.signal(SIGINT) }

    /// SIGSTOP: the controller stops where it is (a laptop lid closed, a CI runner frozen), its
    /// connections left open; `resume` lets it go on.
    func pause() { process.signal(SIGSTOP) }

    /// SIGCONT, after `pause`.
    func resume() { process.signal(SIGCONT) }

    /// SIGKILL: the controller dies with no chance to clean up.
    func killHard() { process.signal(SIGKILL) }

    /// Waits (off the cooperative pool) for the process to exit.
    func wait() async -> DeployerRun {
        await withCheckedContinuation { continuation in
            Thread { [self] in
                let exit = process.waitForExit()
                finished.wait()
                continuation.resume(returning: DeployerRun(status: exit.status, output: output))
            }.start()
        }
    }
}
