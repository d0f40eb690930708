import DeployerExecution
import DeployerModel
import Foundation

/// A command run in a real terminal, the way a person runs it: a pane of a
/// private tmux server (its own socket, so no other tmux is touched) of a
/// fixed size, with `script` between the pane and the command recording every
/// byte written to the terminal. The pane stays after the command exits, so
/// its final screen can be read as the person would see it.
struct TerminalSession {
    struct Result {
        var status: Int32
        /// The pane's visible lines at the end, trailing blank lines and tmux's "Pane is dead" note left out.
        var screen: [String]
        /// Everything the command wrote to the terminal, escape sequences included.
        var raw: String
    }

    /// Runs `command` in `directory` with `environment` set and the variables in `unset` removed.
    static func run(_ command: [String], in directory: String, environment: [String: String], unset: [String] = [],
                    columns: Int = 160, rows: Int = 50) async throws -> Result {
        let session = NSTemporaryDirectory() + "deployer-tty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: session, withIntermediateDirectories: true)
        let tmux = ["tmux", "-u", "-S", session + "/tmux.sock", "-f", session + "/tmux.conf"]
        defer {
            _ = try? ChildProcess("/usr/bin/env", tmux + ["kill-server"], stdout: .inherit, stderr: .null).waitForExit()
            try? FileManager.default.removeItem(atPath: session)
        }
        try "set -g remain-on-exit on\nset -g status off\nset -g default-shell /bin/sh\n"
            .write(toFile: session + "/tmux.conf", atomically: true, encoding: .utf8)
        let inner = ShellQuote.join(["env"] + unset.flatMap { ["-u", $0] }
                                    + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + command)
        let pane = "cd \(ShellQuote.quote(directory)) && script -qefc \(ShellQuote.quote(inner)) \(ShellQuote.quote(session + "/raw"));"
            + " echo $? > \(ShellQuote.quote(session + "/status"))"
        var outer = ProcessInfo.processInfo.environment
        outer["TMUX"] = nil
        _ = try await run(tmux + ["new-session", "-d", "-x", String(columns), "-y", String(rows), "-s", "deployer", pane],
                          environment: outer)

        let deadline = Date().addingTimeInterval(180)
        var status: String?
        while status == nil {
            guard Date() < deadline else { throw SandboxError("the command in the terminal did not finish in 180 s") }
            try await Task.sleep(for: .milliseconds(100))
            status = (try? String(contentsOfFile: session + "/status", encoding: .utf8))
                .flatMap { $0.hasSuffix("\n") ? $0.trimmingCharacters(in: .whitespacesAndNewlines) : nil }
        }
        var screen = try await run(tmux + ["capture-pane", "-p", "-t", "deployer"], environment: outer)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.hasPrefix("Pane is dead") }
        while screen.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { screen.removeLast() }
        let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: session + "/raw")), as: UTF8.self)
        return Result(status: Int32(status ?? "") ?? -1, screen: screen, raw: raw)
    }

    private static func run(_ arguments: [String], environment: [String: String]) async throws -> String {
        let output = try await ProcessRunner.run("/usr/bin/env", arguments, environment: environment)
        guard output.status == 0 else {
            throw SandboxError("\(arguments.joined(separator: " ")): " + String(decoding: output.stderr, as: UTF8.self))
        }
        return String(decoding: output.stdout, as: UTF8.self)
    }
}
