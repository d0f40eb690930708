import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation
import DeployerReporting

/// `deployer shared ENV put PATH --from FILE`: a file every release links (`shared: { files: [...] }`),
/// such as `.env`, put on every host of an environment, since a push refuses to go on without it;
/// `deployer shared ENV list`: what each host has of the shared files and dirs the recipe declares.
struct SharedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared",
        abstract: "List the recipe's shared files and dirs on every host, or put a file under shared/ (recorded in history).",
        discussion: """
            deployer shared ENV list shows, per host, each file and dir of the recipe's shared: whether it is \
            there, its size, mode and modification time (never its contents), read-only; exit 1 when a host \
            lacks a shared file (a push fails there until it is put), 4 when a host cannot be read. \
            deployer shared ENV put PATH --from FILE copies FILE to DEPLOY_TO/shared/PATH on every host \
            of ENV: checked by SHA-256, mode 0600 unless --mode says otherwise, renamed into place \
            (a running app reads the old or the new file, never a part of one), and recorded in each \
            host's history with its size and SHA-256 prefix, never its contents. A push fails in \
            prepare, on every host, while a file of the recipe's shared.files is missing there.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case put, list
    }

    @OptionGroup var fleet: FleetReadOptions

    @Argument(help: "What to do: list or put.")
    var action: Action

    @Argument(help: "put: the path under DEPLOY_TO/shared/, e.g. .env or config/local.py.")
    var path: String?

    @Option(help: ArgumentHelp("put: the file on this machine to put there.", valueName: "file"))
    var from: String?

    @Option(help: ArgumentHelp("put: the file's mode on the hosts (octal; default 0600).", valueName: "mode"))
    var mode: String?

    func validate() throws {
        guard action == .put else {
            if path != nil || from != nil || mode != nil {
                throw ValidationError("shared list takes no PATH, --from or --mode (they are for shared put)")
            }
            return
        }
        guard let path else { throw ValidationError("shared put needs the PATH under shared/, e.g. deployer shared prod put .env --from .env.prod") }
        guard let from else { throw ValidationError("shared put needs --from FILE, the file on this machine to put there") }
        if path.containsControlCharacter {
            throw ValidationError("PATH must not contain a newline or other control character, found '\(path.escapingControlCharacters)'")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || parts.contains("..") || parts.contains("") || path.hasSuffix("/") {
            throw ValidationError("PATH must be a relative file path inside shared/ (no leading /, no .., no empty part), "
                + "found '\(path)'")
        }
        if let mode, !(3...4).contains(mode.count) || !mode.allSatisfy({ ("0"..."7").contains($0) }) {
            throw ValidationError("--mode takes an octal mode such as 0600 or 644, found '\(mode)'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ValidationError("--from \(from): no such file on this machine")
        }
    }

    func run() async throws {
        guard action == .put, let path, let from else { return try await list() }
        let mode = mode ?? "0600"
        try await CommandRun.perform(.sharedPut, environment: fleet.environment, options: fleet.output) { run in
            let context = try fleet.context(run: run)
            let shared = context.environment.shared
            if !shared.files.contains(path), !shared.dirs.contains(where: { path.hasPrefix($0 + "/") }) {
                FileHandle.standardError.writeUnlessClosed("note: shared/\(path) is not in the recipe's shared files or dirs; "
                    + "releases will not link it\n")
            }
            let summary = await context.executor.putShared(path: path, file: from, mode: mode,
                                                          origin: .current(message: "shared put \(path)", runID: run.runID))
            throw summary.result.exitCode
        }
    }

    /// `shared ENV list`: a row per host and shared path, after the run's events.
    private func list() async throws {
        try await CommandRun.perform(.sharedList, environment: fleet.environment, options: fleet.output) { run in
            let context = try fleet.context(run: run)
            let listed = await context.executor.listShared(runID: run.runID)
            context.finish()
            var table = ResultTable(type: "shared_path", [
                ("HOST", "host"), ("PATH", "path"), ("DECLARED", "declared"), ("FOUND", "found"), ("BYTES", "bytes"),
                ("MODE", "mode"), ("MODIFIED", "modified"), ("PROBLEM", "problem"),
            ])
            let declared = context.environment.shared.files.map { ($0, SharedPathState.Kind.file) }
                + context.environment.shared.dirs.map { ($0, SharedPathState.Kind.dir) }
            for host in context.environment.hosts.map(\.name) {
                for (index, (path, kind)) in declared.enumerated() {
                    let state = listed.states[host]?[index]
                    table.rows.append([
                        .string(host), .string(path), .string(kind.rawValue), .string(state?.found?.rawValue),
                        ResultTable.Cell(.optional(state?.bytes)), .string(state?.mode),
                        .string(state?.modified.map { Timestamp.iso8601(Date(timeIntervalSince1970: TimeInterval($0))) }),
                        .string(state?.problem ?? listed.unreachable[host]),
                    ])
                }
            }
            print(table.rendered(json: fleet.output.resolvedFormat == .json))
            throw listed.result.exitCode
        }
    }
}
