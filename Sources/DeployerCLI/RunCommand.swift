import ArgumentParser
import Foundation
import SSH

/// `deployer run --hosts a,b -- CMD…`: an ad-hoc command on many hosts at once.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command on hosts over SSH, in parallel.",
        discussion: """
            Hosts are ssh_config aliases or user@host:port. The command runs in the login user's \
            shell ($SHELL -c), not a login shell. Output lines are prefixed by host on a terminal \
            and grouped per host otherwise. Exit status: 0 all ok, 1 a command failed, 4 a host \
            was unreachable (or its key or authentication refused).
            """
    )

    @Option(help: ArgumentHelp("Comma-separated hosts: ssh_config aliases or user@host:port.", valueName: "hosts"))
    var hosts: String

    @OptionGroup var ssh: SSHOptions

    @Option(help: ArgumentHelp("Stop the command on each host after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Argument(parsing: .postTerminator, help: "The command to run (after --).")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command after --, e.g. deployer run --hosts web1 -- uptime") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let names = try SSHHostResolver.parseList(hosts)
        let targets = try SSHHostResolver(options: ssh).targets(for: names)
        let printer = SSHOutputPrinter(streaming: isatty(1) == 1, hosts: names)
        let outcomes = await SSHFanOut(limit: ssh.parallel).run(targets) { connection in
            let host = connection.target.name
            return try await connection.exec(
                command.joined(separator: " "),
                timeout: timeout.map { .milliseconds(Int64($0 * 1000)) },
                captureOutput: false,
                onOutput: { printer.receive($0, from: host) }
            )
        }
        var failed: [String] = []
        var unreachable: [String] = []
        for (name, outcome) in zip(names, outcomes) {
            switch outcome {
            case .success(let result):
                printer.finish(name, status: result.statusDescription)
                if !result.succeeded { failed.append("\(name): \(result.statusDescription)") }
            case .failure(let error):
                let sshError = error as? SSHError
                printer.finish(name, status: sshError?.kind.rawValue ?? "error")
                printer.note("\(name) | error: \(sshError?.description ?? "\(error)")")
                if sshError?.isUnreachable == true { unreachable.append(name) } else { failed.append("\(name): \(sshError?.kind.rawValue ?? "error")") }
            }
        }
        let ok = names.count - failed.count - unreachable.count
        var summary = "\(names.count) host\(names.count == 1 ? "" : "s"): \(ok) ok, \(failed.count) failed"
        if !failed.isEmpty { summary += " (\(failed.joined(separator: ", ")))" }
        summary += ", \(unreachable.count) unreachable"
        if !unreachable.isEmpty { summary += " (\(unreachable.joined(separator: ", ")))" }
        printer.note(summary)
        if !unreachable.isEmpty { throw ExitCode.unreachable }
        if !failed.isEmpty { throw ExitCode.deployFailed }
    }
}
