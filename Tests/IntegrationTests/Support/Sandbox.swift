import DeployerExecution
import DeployerModel
import Foundation

/// Real sshd hosts from `Scripts/sandbox`, in a temporary directory of their
/// own, always taken down after the test body (even when it throws).
struct Sandbox: Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let directory: String
    let hosts: [String]
    /// The SSH client deployer reaches the hosts with: `--ssh-transport` on every command that connects.
    var transport: SSHTransportKind = .libssh2
    /// deployer's `XDG_RUNTIME_DIR`, where the OpenSSH transport keeps its sockets (short: a socket's
    /// path must fit in 104 bytes), so a test can see that nothing is left there.
    let runtimeDirectory = "/tmp/dsr-" + UUID().uuidString.prefix(8)

    var sshConfig: String { directory + "/ssh_config" }

    /// Starts `count` hosts, each with `sshdOptions` added to its sshd_config, runs `body`, and takes the hosts
    /// down; deployer reaches them with `transport`.
    static func with<T>(hosts count: Int, sshdOptions: [String] = [], transport: SSHTransportKind = .libssh2,
                        _ body: (Sandbox) async throws -> T) async throws -> T {
        await SandboxGate.shared.acquire()
        let directory = NSTemporaryDirectory() + "deployer-sandbox-" + UUID().uuidString
        let sandbox = Sandbox(directory: directory, hosts: (1...count).map { "host\($0)" }, transport: transport)
        try FileManager.default.createDirectory(atPath: sandbox.runtimeDirectory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer {
            try? FileManager.default.removeItem(atPath: sandbox.runtimeDirectory)
            _ = try? ChildProcess(repository + "/Scripts/sandbox", ["down", "--dir", directory], stdout: .inherit,
                                  stderr: .inherit).waitForExit()
            try? FileManager.default.removeItem(atPath: directory)
            Task { await SandboxGate.shared.release() }
        }
        let up = try await ProcessRunner.run(repository + "/Scripts/sandbox", ["up", String(count), "--dir", directory]
                                                     + sshdOptions.flatMap { ["--sshd-option", $0] })
        guard up.status == 0 else {
            throw SandboxError("sandbox up failed: " + String(decoding: up.stderr, as: UTF8.self))
        }
        return try await body(sandbox)
    }

    /// Runs `command` with `sh -c` as root inside `host`'s filesystem view; its standard output.
    @discardableResult
    func exec(_ host: String, _ command: String) async throws -> String {
        let output = try await ProcessRunner.run(Sandbox.repository + "/Scripts/sandbox",
                                                 ["exec", host, "--dir", directory, "--", "sh", "-c", command])
        return String(decoding: output.stdout, as: UTF8.self)
    }

    /// The release `current` points at on `host`, nil when there is none.
    func current(_ host: String, deployTo: String = "/srv/app") async throws -> String? {
        let link = try await exec(host, "readlink \(deployTo)/current || true")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return link.isEmpty ? nil : (link as NSString).lastPathComponent
    }

    func exists(_ host: String, _ path: String) async throws -> Bool {
        try await exec(host, "test -e \(path) && echo yes || true").contains("yes")
    }

    /// Kills `host`'s sshd and every process below it (its sessions and their commands), by process id,
    /// all stopped first: killed one by one, a session's sshd could see its command die and send its
    /// exit status (137, "Killed") before its own turn came, so the host looked like a failed command
    /// rather than a lost connection (FaultMatrixTests, finish over libssh2, once in a run).
    func killSSHD(_ host: String) async throws {
        let pidFile = directory + "/hosts/" + host + "/sshd.pid"
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let script = """
            tree() { for child in $(ps -o pid= --ppid "$1"); do tree "$child"; done; echo "$1"; }
            kill -STOP \(pid); pids=$(tree \(pid)); kill -STOP $pids 2>/dev/null; kill -KILL $pids 2>/dev/null; true
            """
        _ = try await ProcessRunner.run("/bin/sh", ["-c", script])
    }

    /// Runs the `deployer` built beside this test bundle, in `directory`, against this sandbox.
    func deployer(_ arguments: [String], in directory: String, cacheHome: String? = nil,
                  environment overrides: [String: String?] = [:]) async throws -> DeployerRun {
        await (try start(arguments, in: directory, cacheHome: cacheHome, environment: overrides)).wait()
    }

    /// Starts the `deployer` built beside this test bundle, in `directory`, against this sandbox, with
    /// `--ssh-transport` after the command's name when it is one that connects.
    func start(_ arguments: [String], in directory: String, cacheHome: String? = nil,
               environment overrides: [String: String?] = [:]) throws -> DeployerProcess {
        var arguments = arguments
        if let verb = arguments.first, Self.connectingCommands.contains(verb) {
            arguments.insert(contentsOf: ["--ssh-transport", transport.rawValue], at: 1)
        }
        return try DeployerProcess(arguments, in: directory, sshConfig: sshConfig, cacheHome: cacheHome,
                                   overrides: ["XDG_RUNTIME_DIR": runtimeDirectory].merging(overrides) { $1 })
    }

    static let connectingCommands: Set = ["push", "switch", "rollback", "plan", "status", "releases", "unlock", "run", "promote", "task"]
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
