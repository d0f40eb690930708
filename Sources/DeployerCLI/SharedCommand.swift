import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation

/// `deployer shared ENV put PATH --from FILE`: a file every release links (`shared: { files: [...] }`),
/// such as `.env`, put on every host of an environment, since a push refuses to go on without it.
struct SharedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared",
        abstract: "Put a file under shared/ on every host of an environment (recorded in history).",
        discussion: """
            deployer shared ENV put PATH --from FILE copies FILE to DEPLOY_TO/shared/PATH on every host \
            of ENV: checked by SHA-256, mode 0600 unless --mode says otherwise, renamed into place \
            (a running app reads the old or the new file, never a part of one), and recorded in each \
            host's history with its size and SHA-256 prefix, never its contents. A push fails in \
            prepare, on every host, while a file of the recipe's shared.files is missing there.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case put
    }

    @OptionGroup var fleet: FleetReadOptions

    @Argument(help: "What to do: put.")
    var action: Action

    @Argument(help: "The path under DEPLOY_TO/shared/, e.g. .env or config/local.py.")
    var path: String

    @Option(help: ArgumentHelp("The file on this machine to put there.", valueName: "file"))
    var from: String

    @Option(help: ArgumentHelp("The file's mode on the hosts (octal).", valueName: "mode"))
    var mode = "0600"

    func validate() throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || parts.contains("..") || parts.contains("") || path.hasSuffix("/") {
            throw ValidationError("PATH must be a relative file path inside shared/ (no leading /, no .., no empty part), "
                + "found '\(path)'")
        }
        guard (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }) else {
            throw ValidationError("--mode takes an octal mode such as 0600 or 644, found '\(mode)'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("--from \(from): no such file on this machine")
        }
    }

    func run() async throws {
        try await CommandRun.perform(.sharedPut, environment: fleet.environment, options: fleet.output) { run in
            let context = try fleet.context(run: run)
            let shared = context.environment.shared
            if !shared.files.contains(path), !shared.dirs.contains(where: { path.hasPrefix($0 + "/") }) {
                FileHandle.standardError.write(Data(("note: shared/\(path) is not in the recipe's shared files or dirs; "
                    + "releases will not link it\n").utf8))
            }
            let summary = await context.executor.putShared(path: path, file: from, mode: mode,
                                                          origin: .current(message: "shared put \(path)", runID: run.runID))
            throw summary.result.exitCode
        }
    }
}
